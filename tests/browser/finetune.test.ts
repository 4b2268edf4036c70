/**
 * Learning from human feedback in the built page: rate two samples, mark a pair bad, add
 * the bundled example feedback, train on it (DPO) and watch the fox sentence's ranked
 * words move, with the reference's words beside them.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { previewPages } from './chromium';

const { withPage } = previewPages();

const ready = (page: Page) => expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 90_000 }).toBe(true);
const stepOf = async (page: Page) => Number(await page.getByTestId('step-count').getAttribute('data-step'));
const count = async (page: Page) => Number(await page.getByTestId('feedback-count').getAttribute('data-count'));
/** P(word) in a ranked list (0 when it is not listed). */
const probIn = async (page: Page, list: string, word: string) => {
  const row = page.getByTestId(list).locator(`[data-testid="next-word"][data-word="${word}"]`);
  return (await row.count()) ? Number(await row.first().getAttribute('data-prob')) : 0;
};

describe('human feedback', () => {
  it('rates samples, trains on the feedback, and the fox sentence’s ranked words change', async () => {
    await withPage('backend=wasm&corpus=fox&preset=nano', async (page) => {
      await ready(page);
      expect(await page.getByTestId('feedback-stage').getAttribute('data-stage')).toBe('pretrain');
      // Two samples; pick the first; then mark the next two both bad.
      await page.getByTestId('feedback-show').click();
      const options = page.getByTestId('feedback-option');
      await expect.poll(() => options.count(), { timeout: 30_000 }).toBe(2);
      // Each sample complete (to a sentence's or a word's end, within 60 characters), and the two different.
      const [a, b] = [(await options.nth(0).getAttribute('data-text'))!, (await options.nth(1).getAttribute('data-text'))!];
      console.log(`[feedback] samples: ${JSON.stringify(a)} / ${JSON.stringify(b)}`);
      for (const text of [a, b]) {
        expect(text.trim().length).toBeGreaterThan(0);
        expect(text.length).toBeLessThanOrEqual(60);
        expect(text).toMatch(/[.!?]$|[a-z]$/i); // ends on a sentence mark or a whole word
      }
      expect(a).not.toBe(b);
      await options.first().click();
      await expect.poll(() => count(page)).toBe(1);
      await expect.poll(() => options.count(), { timeout: 30_000 }).toBe(2);
      await page.getByTestId('feedback-bad').click();
      await expect.poll(() => count(page)).toBe(2);
      // The bundled feedback: people prefer "…the lazy cat".
      await page.getByTestId('feedback-examples').click();
      await expect.poll(() => count(page)).toBeGreaterThan(20);
      const catBefore = await probIn(page, 'feedback-after', 'cat');
      const dogBefore = await probIn(page, 'feedback-after', 'dog');
      await page.getByTestId('feedback-method').selectOption('dpo');
      await page.getByTestId('feedback-steps').fill('40');
      await page.getByTestId('feedback-train').click();
      await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBe(40);
      await expect.poll(() => page.getByTestId('feedback-stage').getAttribute('data-stage'), { timeout: 30_000 }).toBe('feedback');
      await expect.poll(() => probIn(page, 'feedback-after', 'cat'), { timeout: 30_000 }).toBeGreaterThan(catBefore + 0.2);
      const catAfter = await probIn(page, 'feedback-after', 'cat');
      const dogAfter = await probIn(page, 'feedback-after', 'dog');
      // The reference (the model before the stage) still ranks as before.
      await expect.poll(() => probIn(page, 'feedback-before', 'cat'), { timeout: 30_000 }).toBeCloseTo(catBefore, 2);
      console.log(
        `[feedback] DPO 40 steps: P(cat) ${catBefore.toFixed(3)} → ${catAfter.toFixed(3)}, P(dog) ${dogBefore.toFixed(3)} → ${dogAfter.toFixed(3)}, margin ${await page.getByTestId('tune-margin').innerText()}`,
      );
      expect(dogAfter).toBeLessThan(dogBefore);
      // The tuned model is work done here: another corpus asks before it replaces it, and Cancel keeps it.
      await page.getByTestId('corpus-select').selectOption('shakespeare');
      await expect.poll(() => page.getByTestId('confirm').isVisible(), { timeout: 10_000 }).toBe(true);
      await page.getByTestId('cancel').click();
      expect(await page.getByTestId('feedback-stage').getAttribute('data-stage')).toBe('feedback');
      // Train from scratch would throw the feedback away too: it asks, and Cancel keeps the tuned model and its step.
      const tunedStep = await stepOf(page);
      await page.getByTestId('train-start').click();
      await expect
        .poll(() => page.getByTestId('confirm-body').innerText(), { timeout: 10_000 })
        .toMatch(/fine-tuning included\. Training from scratch starts again from random weights/);
      await page.getByTestId('cancel').click();
      await page.waitForTimeout(500);
      expect(await stepOf(page)).toBe(tunedStep);
      expect(await page.getByTestId('feedback-stage').getAttribute('data-stage')).toBe('feedback');
      // The counter is the stage's own (40), and says so; the model's pre-training step is another count.
      expect(await page.getByTestId('step-label').innerText()).toBe('Human feedback (DPO) step');
      // Pre-training on after the feedback is a stage of its own, counted as it runs.
      await page.getByTestId('resume').click();
      await expect
        .poll(() => page.getByTestId('stages-done').innerText(), { timeout: 60_000 })
        .toMatch(/Human feedback \(DPO\) ×40 → Pre-training ×[1-9]\d*\.?$/);
      expect(await page.getByTestId('step-label').innerText()).toBe('step');
      await page.getByTestId('train-pause').click();
    });
  }, 240_000);
});
