/**
 * Runs and the loss coach (issue 15) in real Chromium on the production build: two runs
 * overlaid on the loss chart, the second labelled with what changed ("lr 0.01 → 0.003"),
 * a fork from the first run's checkpoint, the experiment shared as a link and re-run with
 * one click; and the coach reading "memorising" on a model built to overfit (a pasted text
 * of a few hundred characters, a model far too large for it). Seeded runs on cpu/wasm.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { previewPages } from './chromium';

const { withPage, url } = previewPages();

const ready = (page: Page) => expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 90_000 }).toBe(true);
const done = (page: Page) => expect.poll(() => page.getByTestId('run-state').getAttribute('class'), { timeout: 120_000 }).toContain('state-done');
const rows = (page: Page) => page.getByTestId('run-row');

/** Train from scratch for the chosen steps and wait until the run is recorded with a checkpoint. */
async function trainRun(page: Page, n: number): Promise<void> {
  await ready(page);
  await page.getByTestId('train-start').click();
  await expect.poll(() => rows(page).count(), { timeout: 60_000 }).toBe(n);
  await done(page);
  await expect
    .poll(
      () =>
        rows(page)
          .nth(n - 1)
          .getByTestId('run-fork')
          .isEnabled(),
      { timeout: 30_000 },
    )
    .toBe(true); // its checkpoint is stored
}

// A short story: varied enough that its held-out tenth is not in the first nine tenths.
const TINY = `Mara kept bees behind the old mill. Every morning she walked the long way round the pond, counting herons, and every evening she wrote the count in a green book. The miller's son laughed at the book until the spring the herons did not come; then he asked to read it. Together they found the year the water turned, the week the frogs went quiet, and the day the first heron left. He never laughed at lists again. `;

describe('runs', () => {
  it('overlays two runs with their difference label, forks one, and re-runs a shared link with one click', async () => {
    await withPage('backend=cpu&corpus=fox&preset=tiny&steps=40', async (page) => {
      await trainRun(page, 1);
      await page.getByTestId('learning-rate').fill('0.003');
      await trainRun(page, 2);
      expect(await rows(page).nth(0).getByTestId('run-diff').innerText()).toBe('first run');
      expect(await rows(page).nth(1).getByTestId('run-diff').innerText()).toBe('lr 0.01 → 0.003');
      // The chart belongs to the live run: the first one is drawn beside it only once ticked (then in bits per character).
      expect(await page.getByTestId('loss-chart').getAttribute('data-runs')).toBe('1');
      await rows(page).nth(0).getByTestId('run-overlay').check();
      await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-runs')).toBe('2');
      expect(await page.locator('.runs-overlay [data-run-id]').count()).toBe(1);
      expect(Number(await page.getByTestId('chance-line').getAttribute('data-value'))).toBeGreaterThan(1);
      // Unticking the first run leaves only the live one.
      await rows(page).nth(0).getByTestId('run-overlay').uncheck();
      await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-runs')).toBe('1');
      await rows(page).nth(0).getByTestId('run-overlay').check();

      // Fork the first run at its last step with a lower learning rate: a third run, labelled against its parent.
      await rows(page).nth(0).getByTestId('run-fork').click();
      await page.getByTestId('run-fork-value').fill('0.001');
      await page.getByTestId('run-fork-go').click();
      // The trained model would be replaced: by the fork, which continues from a checkpoint (not random weights).
      expect(await page.getByTestId('confirm-body').innerText()).toMatch(/continues from the run’s saved checkpoint/);
      await page.getByTestId('confirm').click();
      await expect.poll(() => rows(page).count(), { timeout: 60_000 }).toBe(3);
      expect(await rows(page).nth(2).getByTestId('run-diff').innerText()).toBe('lr 0.01 → 0.001'); // its parent's steps again: only the rate changed
      expect(await rows(page).nth(2).innerText()).toContain('forked at step 40');

      // Rename and pin survive a reload (the list lives in this browser).
      await rows(page).nth(0).getByRole('button', { name: 'Rename' }).click();
      await page.getByTestId('run-name').fill('baseline');
      await page.getByTestId('run-name').press('Enter');
      await rows(page).nth(0).getByTestId('run-pin').click();
      // Share the three (ticked together: all on this corpus).
      await page.getByTestId('runs-compare-corpus').click();
      await page.getByTestId('runs-share').click();
      const link = await page.getByTestId('runs-share-link').inputValue();
      await page.reload();
      await expect.poll(() => rows(page).count(), { timeout: 30_000 }).toBe(3);
      expect(await rows(page).nth(0).innerText()).toContain('baseline');
      expect(await rows(page).nth(0).getByTestId('run-pin').getAttribute('aria-pressed')).toBe('true');

      // The link, opened afresh: three runs to re-run; one click trains the second.
      await page.evaluate(() => localStorage.clear());
      expect(link.startsWith(url())).toBe(true);
      await page.goto(link);
      await expect.poll(() => page.getByTestId('shared-run').count(), { timeout: 30_000 }).toBe(3);
      await ready(page);
      await page.getByTestId('shared-run-start').nth(1).click();
      await expect.poll(() => rows(page).count(), { timeout: 90_000 }).toBe(1);
      await done(page);
      expect(await page.getByTestId('learning-rate').inputValue()).toBe('0.003');
    });
  }, 300_000);

  it('the coach reads "memorising" on a model built to overfit a tiny pasted text', async () => {
    await withPage('backend=wasm&preset=nano&steps=300', async (page) => {
      await ready(page);
      // The bundled model was trained before this page (step 600) and has no curve here: nothing to read, no "just started".
      expect(await page.getByTestId('coach').count()).toBe(0);
      await page.getByTestId('corpus-paste').fill(TINY);
      await page.getByTestId('corpus-paste-use').click();
      await expect.poll(() => page.getByTestId('corpus-name').innerText(), { timeout: 60_000 }).toContain('pasted');
      await ready(page);
      await page.getByTestId('train-start').click();
      await done(page);
      await expect.poll(() => page.getByTestId('coach').getAttribute('data-reading'), { timeout: 10_000 }).toBe('memorising');
      expect(await page.getByTestId('coach').innerText()).toContain('more text');
    });
  }, 240_000);
});
