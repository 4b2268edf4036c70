/**
 * What a fine-tuning stage costs, in the built page (issue 26), on the bundled fox model:
 * the cost meter moves while a stage trains (its chart gains points, its KL rises from 0)
 * with the stage's own learning rate and loss in the training strip; and with "Keep what
 * it knew" off, the KL budget stops an instruction-tuning stage early and says so. Then the
 * chat box asks the tuned model in the pairs' format and shows its answer.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { previewPages } from './chromium';

const { withPage } = previewPages();

const ready = (page: Page) => expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 90_000 }).toBe(true);
const stepOf = async (page: Page) => Number(await page.getByTestId('step-count').getAttribute('data-step'));
const attr = async (page: Page, id: string, name: string) =>
  (await page.getByTestId(id).count()) ? await page.getByTestId(id).first().getAttribute(name) : null;
const num = async (page: Page, id: string, name: string) => Number((await attr(page, id, name)) ?? NaN);

describe('the cost of a fine-tuning stage', () => {
  it('the meter moves during a stage, and a KL budget stops one', async () => {
    await withPage('backend=wasm&corpus=fox&preset=nano', async (page) => {
      await ready(page);
      // A DPO stage on the bundled feedback, everything at its defaults (keep on, budget 0.3).
      await page.getByTestId('feedback-examples').click();
      await page.getByTestId('feedback-method').selectOption('dpo');
      await page.getByTestId('feedback-steps').fill('80');
      // Every change of the meter's chart, with the run's state at that moment, recorded in the page (a stage of
      // 80 steps can end between two polls from here).
      await page.evaluate(() => {
        const log: { state: string | null; step: number; points: number; kl: number }[] = [];
        (window as unknown as { costLog: typeof log }).costLog = log;
        new MutationObserver(() => {
          const cost = document.querySelector('[data-testid="tune-cost"]');
          const points = Number(cost?.getAttribute('data-points') ?? 0);
          if (!cost || points === (log.at(-1)?.points ?? 0)) return;
          const state = document.querySelector('[data-testid="run-state"]')?.getAttribute('data-state') ?? null;
          const step = Number(document.querySelector('[data-testid="step-count"]')?.getAttribute('data-step'));
          log.push({ state, step, points, kl: Number(cost.getAttribute('data-kl')) });
        }).observe(document.body, { subtree: true, childList: true, attributes: true });
      });
      await page.getByTestId('feedback-train').click();
      // While it trains: the strip shows the stage's own rate and loss, not pre-training's schedule.
      await expect.poll(() => page.getByTestId('step-label').innerText(), { timeout: 30_000 }).toBe('Human feedback (DPO) step');
      await expect
        .poll(() => page.getByTestId('learning-rate-used').innerText(), { timeout: 60_000 })
        .toMatch(/^Learning rate in use: 1e-4 — this fine-tuning stage’s own/);
      await expect.poll(() => page.getByTestId('train-loss').innerText(), { timeout: 60_000 }).toMatch(/^\d/);
      await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBe(80);
      await expect.poll(() => num(page, 'tune-cost', 'data-points'), { timeout: 30_000 }).toBe(8); // read every 10 steps
      // The meter moved during the stage: readings came in while it was running, and they were more than nothing.
      const seen = await page.evaluate(() => (window as unknown as { costLog: { state: string | null; step: number; points: number; kl: number }[] }).costLog);
      const during = seen.filter((r) => r.state === 'running');
      expect(during.length).toBeGreaterThanOrEqual(2);
      expect(during.at(-1)!.points).toBeGreaterThan(during[0]!.points);
      expect(during.some((r) => r.kl > 0)).toBe(true);
      const dpoKl = await num(page, 'tune-cost', 'data-kl');
      console.log(
        `[tune cost] DPO 80 steps: readings (state, step, points, KL) ${JSON.stringify(seen.map((r) => [r.state, r.step, r.points, +r.kl.toFixed(4)]))}`,
      );
      expect(dpoKl).toBeLessThan(0.3);

      // Instruction tuning with the hold off: the model forgets, and the budget stops it.
      await page.locator('.tune-section > summary').first().click();
      await page.getByText('Add the fox example pairs').click();
      await expect.poll(async () => Number(await page.getByTestId('sft-examples').getAttribute('data-count'))).toBe(34);
      await page.getByTestId('tune-keep').uncheck();
      await page.getByTestId('sft-steps').fill('200');
      await page.getByTestId('sft-train').click();
      await expect.poll(() => attr(page, 'tune-outcome', 'data-code'), { timeout: 120_000 }).toBe('tuneBudgetStop');
      const stopped = await stepOf(page);
      const outcome = await page.getByTestId('tune-outcome').innerText();
      console.log(`[tune cost] SFT without the hold: ${outcome}`);
      expect(stopped).toBeLessThan(200);
      expect(outcome).toMatch(new RegExp(`^Stopped at step ${stopped} of 200: the KL .* over the budget of 0\\.30`));
      expect(await num(page, 'tune-cost', 'data-kl')).toBeGreaterThan(0.3);
      expect(await attr(page, 'run-state', 'data-state')).toBe('done');
      await page.waitForTimeout(500);
      expect(await stepOf(page)).toBe(stopped); // it stays stopped

      // The chat box asks in the pairs' format ("question? " → "answer.") and shows the answer.
      await page.getByTestId('chat-question').fill('who is lazy');
      await page.getByTestId('chat-ask').click();
      await expect.poll(() => attr(page, 'chat-answer', 'data-answer'), { timeout: 30_000 }).not.toBe('');
      console.log(`[tune cost] Q: who is lazy → A: ${await attr(page, 'chat-answer', 'data-answer')}`);
    });
  }, 300_000);
});
