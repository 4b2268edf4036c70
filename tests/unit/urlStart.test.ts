/** What a link (or a remembered setting) may start the page with: odd values are put right, never obeyed. */
import { describe, expect, it } from 'vitest';
import { MAX_TRAIN_STEPS } from '../../src/config';
import { defaultSettings, type Settings } from '../../src/state/store';
import { readUrl, startSettings } from '../../src/state/urlState';

describe('starting from a URL', () => {
  it('keeps the steps in the field’s range: 1e12 is a whole number, and is still ignored', () => {
    expect(readUrl('?steps=1e12').settings.steps).toBeUndefined();
    expect(readUrl(`?steps=${MAX_TRAIN_STEPS + 1}`).settings.steps).toBeUndefined();
    expect(readUrl('?steps=-5').settings.steps).toBeUndefined();
    expect(readUrl('?steps=2.5').settings.steps).toBeUndefined();
    expect(readUrl(`?steps=${MAX_TRAIN_STEPS}`).settings.steps).toBe(MAX_TRAIN_STEPS);
    // A remembered value from before the limit falls back to the default.
    expect(startSettings({ ...defaultSettings, steps: 1e12 }, { settings: {} }).steps).toBe(defaultSettings.steps);
  });

  it('reads a text in characters when a link asks for k-mers on it (k-mers read only DNA)', () => {
    expect(startSettings(defaultSettings, readUrl('?tokenizer=kmer&corpus=fox'))).toMatchObject({ corpus: 'fox', tokenizer: 'char' });
    // Remembered k-mers, and a link to Shakespeare.
    expect(startSettings({ ...defaultSettings, corpus: 'dna', tokenizer: 'kmer' }, readUrl('?corpus=shakespeare')).tokenizer).toBe('char');
    // The genome keeps them, and keeps characters when asked for (the DNA panel's own comparison).
    expect(startSettings(defaultSettings, readUrl('?tokenizer=kmer&corpus=dna')).tokenizer).toBe('kmer');
    expect(startSettings(defaultSettings, readUrl('?tokenizer=char&corpus=dna')).tokenizer).toBe('char');
  });

  it('puts back the default for a remembered value that no longer exists, unless the link names one', () => {
    const old = { ...defaultSettings, corpus: 'gone', preset: 'huge', tokenizer: 'morse' } as unknown as Settings;
    expect(startSettings(old, { settings: {} })).toMatchObject({
      corpus: defaultSettings.corpus,
      preset: defaultSettings.preset,
      tokenizer: defaultSettings.tokenizer,
    });
    expect(startSettings(old, readUrl('?corpus=shakespeare&preset=cpu')).corpus).toBe('shakespeare');
  });
});
