/**
 * One current model (issue 24), in real Chromium on the production build: every fact the
 * page shows about "the model" follows the model the worker holds. Each case is one that
 * a learner hit after an hour in the page: the replace question undercounted a resumed
 * model, a Shakespeare row sat on a codon list, switching tracked words threw a curve
 * away, *Show me* talked about "dog" beside a field saying "comb", "the model now" stayed
 * on an old run, runs renumbered after a reload, and a delete could not be undone.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { previewPages } from './chromium';

const { withPage } = previewPages();

const ready = (page: Page) => expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 90_000 }).toBe(true);
const stepOf = async (page: Page) => Number(await page.getByTestId('step-count').getAttribute('data-step'));
const liveModel = (page: Page) => page.getByTestId('step-count').getAttribute('data-model-id');
const rows = (page: Page) => page.getByTestId('run-row');
const numbers = (page: Page) => page.getByTestId('run-number').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-number'))));

/** Press a training button and wait until the run has stopped again past `atLeast` steps. */
async function trainTo(page: Page, press: 'train-start' | 'resume', atLeast: number): Promise<number> {
  await page.getByTestId(press).click();
  await expect.poll(() => stepOf(page), { timeout: 90_000 }).toBeGreaterThanOrEqual(atLeast);
  await page.getByTestId('train-pause').click();
  await expect.poll(() => page.getByTestId('run-state').getAttribute('data-state'), { timeout: 30_000 }).not.toBe('running');
  return stepOf(page);
}

/** The words of the ranked list once it answers the live model. */
async function rankedOfLiveModel(page: Page): Promise<string[]> {
  await expect.poll(async () => (await page.getByTestId('ranked').getAttribute('data-model')) === (await liveModel(page)), { timeout: 60_000 }).toBe(true);
  return page.getByTestId('next-word').evaluateAll((els) => els.map((e) => (e.getAttribute('data-word') ?? e.textContent ?? '').trim()));
}

describe('one current model', () => {
  it('a resumed model: the replace question states every step it trained; runs follow it, keep their numbers, and come back with Undo', async () => {
    await withPage('backend=wasm&corpus=fox&preset=tiny&steps=100000', async (page) => {
      await ready(page);
      const first = await trainTo(page, 'train-start', 3);
      await expect.poll(() => page.getByTestId('autosaved').getAttribute('data-step'), { timeout: 30_000 }).toBe(String(first));
      expect(await numbers(page)).toEqual([1]);

      // Reload, resume the save (it trains on by itself): one run, extended, and the model now is in it.
      await page.reload();
      await page.getByTestId('resume').click();
      await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(first + 3);
      await page.getByTestId('train-pause').click();
      await expect.poll(() => page.getByTestId('run-state').getAttribute('data-state'), { timeout: 30_000 }).not.toBe('running');
      const total = await stepOf(page);
      await expect.poll(() => numbers(page)).toEqual([1]);
      expect(await rows(page).nth(0).innerText()).toContain('the model now');

      // Replacing it asks, and says how many steps it has: all of them, not those since the reload.
      await page.getByTestId('corpus-paste').fill('A corpus of my own, long enough to learn something from. '.repeat(20));
      await page.getByTestId('corpus-paste-use').click();
      await expect.poll(() => page.getByTestId('confirm').isVisible(), { timeout: 30_000 }).toBe(true);
      expect(Number(await page.getByTestId('confirm-body').getAttribute('data-steps'))).toBe(total);
      expect(await page.getByTestId('confirm-body').innerText()).toContain(total.toLocaleString('en'));
      await page.getByTestId('cancel').click();

      // A fresh model is run #2, and "the model now" moves to it.
      await page.getByTestId('steps-input').fill('4');
      await page.getByTestId('steps-input').press('Enter');
      await page.getByTestId('train-start').click();
      await expect.poll(() => numbers(page), { timeout: 60_000 }).toEqual([1, 2]);
      await expect.poll(() => page.getByTestId('run-state').getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
      await expect.poll(() => rows(page).nth(1).innerText()).toContain('the model now');
      expect(await rows(page).nth(0).innerText()).not.toContain('the model now');

      // The numbers survive a reload; a deleted run comes back, with its number, with Undo.
      await page.reload();
      await expect.poll(() => numbers(page), { timeout: 30_000 }).toEqual([1, 2]);
      await rows(page).nth(0).getByTestId('run-delete').click();
      expect(await numbers(page)).toEqual([2]);
      await page.getByTestId('run-undo-button').click();
      expect(await numbers(page)).toEqual([1, 2]);
    });
  }, 300_000);

  it('a paused Shakespeare model, then the genome: no row of the old model on the codon list; the feedback prompt follows', async () => {
    await withPage('backend=wasm&corpus=shakespeare&preset=nano&steps=2000', async (page) => {
      await ready(page);
      const words = await rankedOfLiveModel(page);
      expect(words.length).toBeGreaterThan(3);
      await trainTo(page, 'train-start', 2);
      // A word of the old model has the keyboard focus as the model changes (focus keeps a row in place).
      await page.getByTestId('next-word').first().focus();
      await page.getByTestId('corpus-select').selectOption('dna');
      await expect.poll(() => page.getByTestId('confirm').isVisible(), { timeout: 30_000 }).toBe(true);
      await page.getByTestId('confirm').click();
      await expect.poll(() => page.getByTestId('corpus-name').innerText(), { timeout: 90_000 }).toContain('genome');
      const codons = await rankedOfLiveModel(page);
      expect(codons.length).toBeGreaterThan(3);
      for (const c of codons) expect(c).toMatch(/^[ACGT]+$/);
      expect(await page.getByTestId('feedback-prompt').inputValue()).toMatch(/^[ACGT]+$/);
    });
  }, 300_000);

  it('tracked words keep their curves; Show me sets the word its text talks about', async () => {
    await withPage('backend=wasm&corpus=fox&preset=nano&steps=600', async (page) => {
      await ready(page);
      const points = async () => Number(await page.getByTestId('track-chart').getAttribute('data-points'));
      await rankedOfLiveModel(page);
      await trainTo(page, 'resume', 604);
      await expect.poll(points, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
      const dog = await points();
      await page.getByTestId('track-word').fill('cat');
      await expect.poll(points, { timeout: 30_000 }).toBeLessThan(dog); // cat's own (new) curve
      await page.getByTestId('track-word').fill('dog');
      await expect.poll(points, { timeout: 30_000 }).toBeGreaterThanOrEqual(dog); // dog's is still there

      // The learner used the backprop tab with another word, then asks the tour to show training.
      await page.getByTestId('track-word').fill('cat');
      await page.getByTestId('inside-tab-backprop').click();
      await page.getByTestId('backprop-word').fill('comb');
      await page.getByTestId('tour-open').click();
      await page.locator('[data-testid="tour-chapter"][data-chapter="training"]').click();
      await page.getByTestId('tour-show').click();
      await expect.poll(() => page.getByTestId('backprop-word').inputValue(), { timeout: 30_000 }).toBe('dog');
      expect(await page.getByTestId('track-word').inputValue()).toBe('dog');

      // Temperature on the bars: colder, the first word takes more; the tracked word's own probability stays.
      const first = async () => Number(await page.getByTestId('next-word').first().getAttribute('data-prob'));
      const before = await first();
      const tracked = Number(await page.getByTestId('track-prob').getAttribute('data-prob'));
      await page.getByTestId('bars-temperature').fill(String(Math.log10(0.3)));
      await expect.poll(() => page.getByTestId('bars-temperature').getAttribute('data-value')).toBe('0.3');
      await expect.poll(first, { timeout: 30_000 }).toBeGreaterThan(before);
      expect(Number(await page.getByTestId('track-prob').getAttribute('data-prob'))).toBeCloseTo(tracked, 3);
    });
  }, 240_000);
});
