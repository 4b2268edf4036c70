/**
 * The guided tour below the page: every chapter has its words in both languages (Portuguese
 * its own, not a copy), the remembered progress survives bad storage, moving is bounded,
 * and each chapter's *Show me* plan points at something (only bundled corpora).
 */
import { describe, expect, it } from 'vitest';
import { STRINGS } from '../../src/i18n';
import { TOUR_CHAPTERS, tourEn, tourPt } from '../../src/i18n/tour';
import { DEFAULT_PROMPT, BOW_SENTENCES } from '../../src/state/store';
import { readTour, showPlan, tourActions, useTour } from '../../src/state/tour';
import { isBundledCorpus } from '../../src/state/corpora';

describe('tour texts', () => {
  it('has the article’s eight ideas in order, each with title, text, Show me and a thing to try in EN and PT', () => {
    expect(TOUR_CHAPTERS).toEqual(['predict', 'corpus', 'params', 'training', 'feedback', 'attention', 'gpu', 'dna']);
    expect(STRINGS.en.tour).toBe(tourEn);
    expect(STRINGS.pt.tour).toBe(tourPt);
    for (const c of TOUR_CHAPTERS) {
      for (const k of ['title', 'body', 'show', 'try'] as const) {
        expect(tourEn[c][k].length, `${c}.${k}`).toBeGreaterThan(3);
        expect(tourPt[c][k], `${c}.${k} is translated`).not.toBe(tourEn[c][k]);
      }
      // "A few sentences", not a wall of text.
      const sentences = tourEn[c].body.split(/[.:;]\s/).length;
      expect(sentences, c).toBeGreaterThanOrEqual(2);
      expect(tourEn[c].body.length, c).toBeLessThan(450);
    }
    expect(tourEn.params.body).toMatch(/175 billion/);
    expect(tourPt.params.body).toMatch(/175 bilhões/);
  });
});

describe('tour state', () => {
  it('reads what it stored, and starts afresh from anything unreadable', () => {
    expect(readTour(null)).toEqual({ open: false, chapter: 0, seen: [] });
    expect(readTour('{not json')).toEqual({ open: false, chapter: 0, seen: [] });
    expect(readTour(JSON.stringify({ open: true, chapter: 3, seen: ['predict', 'bogus', 'params', 'predict'] }))).toEqual({
      open: true,
      chapter: 3,
      seen: ['predict', 'params'],
    });
    expect(readTour(JSON.stringify({ open: 'yes', chapter: 99 }))).toEqual({ open: false, chapter: 7, seen: [] });
    expect(readTour(JSON.stringify({ chapter: -4 })).chapter).toBe(0);
  });

  it('moves one chapter at a time within the tour, marks chapters seen and forgets the highlight on moving', () => {
    useTour.setState({ open: false, chapter: 0, seen: [], shown: undefined });
    tourActions.open();
    expect(useTour.getState()).toMatchObject({ open: true, chapter: 0, seen: ['predict'] });
    tourActions.prev();
    expect(useTour.getState().chapter).toBe(0);
    tourActions.shown({ chapter: 'predict', selector: '[data-testid="ranked"]', preferred: true });
    expect(useTour.getState().shown?.selector).toBe('[data-testid="ranked"]');
    tourActions.next();
    expect(useTour.getState()).toMatchObject({ chapter: 1, seen: ['predict', 'corpus'], shown: undefined });
    // A late report for a chapter no longer on show is ignored.
    tourActions.shown({ chapter: 'predict', selector: 'x', preferred: true });
    expect(useTour.getState().shown).toBeUndefined();
    tourActions.go(99);
    expect(useTour.getState().chapter).toBe(TOUR_CHAPTERS.length - 1);
    tourActions.next();
    expect(useTour.getState().chapter).toBe(TOUR_CHAPTERS.length - 1);
    tourActions.close();
    expect(useTour.getState()).toMatchObject({ open: false, chapter: TOUR_CHAPTERS.length - 1 });
    tourActions.open(); // resumes where it was
    expect(useTour.getState()).toMatchObject({ open: true, chapter: TOUR_CHAPTERS.length - 1 });
  });
});

describe('Show me plans', () => {
  it('every chapter points at something, sets the fox and bow prompts, and only names corpora the page bundles', () => {
    for (const c of TOUR_CHAPTERS) expect(showPlan(c).targets.length, c).toBeGreaterThan(0);
    expect(showPlan('predict')).toMatchObject({ corpus: 'fox', prompt: DEFAULT_PROMPT });
    expect(showPlan('corpus').corpus).toBe('shakespeare');
    expect(showPlan('attention').prompt).toBe(BOW_SENTENCES.bowShow);
    for (const c of TOUR_CHAPTERS) {
      const corpus = showPlan(c).corpus;
      if (corpus) expect(isBundledCorpus(corpus), `${c}: ${corpus}`).toBe(true);
    }
    // Backpropagation: opens the tab that holds the step, and sets up the fox model and sentence its Try it trains and watches,
    // and the word its text says to watch ("dog"), whatever was typed in the word fields before.
    expect(showPlan('training')).toEqual({
      corpus: 'fox',
      prompt: DEFAULT_PROMPT,
      insideTab: 'backprop',
      word: 'dog',
      targets: ['[data-testid="backprop-step"]', '[data-testid="train-start"]'],
    });
    expect(tourEn.training.try).toMatch(/fox bars/);
    expect(showPlan('gpu').targets).toEqual(['[data-testid="race-start"]', '[data-testid="backend"]']);
    // The genome (bundled): its corpus and a stretch of DNA.
    const withDna = showPlan('dna');
    expect(withDna.corpus).toBe('dna');
    expect(withDna.prompt).toMatch(/^[ACGT]+$/);
    expect(withDna.prompt).toContain('TATA');
  });
});
