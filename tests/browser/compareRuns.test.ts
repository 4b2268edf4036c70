/**
 * Comparing runs (issue 25) in real Chromium on the production build: a BPE run and a
 * character run on the fox corpus, overlaid in bits per character (the unit in which they
 * compare: each run's loss ÷ its characters per token ÷ ln 2); and the chart of a new run
 * fits that run — older runs are not drawn until ticked, so a 40-step run is not drawn in
 * the frame of the 200-step runs before it. Seeded `tiny` runs on the cpu backend. Set
 * FOLIO_SHOTS=<dir> to also write screenshots of the training panel there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MODEL_PRESETS } from '../../src/config';
import { splitTokens } from '../../src/data/dataset';
import { buildTokenizer } from '../../src/tokenizer';
import { charsPerToken } from '../../src/train/lossUnits';
import { root } from '../helpers';
import { previewPages } from './chromium';

const { withPage } = previewPages();
const shots = process.env.FOLIO_SHOTS;

/** Characters per val token of the fox corpus in BPE-512 (the page's default target), as the worker measures them. */
function foxBpeCharsPerToken(): number {
  const text = readFileSync(path.join(root, 'corpus', 'fox.txt'), 'utf8');
  const tok = buildTokenizer(text, { kind: 'bpe', vocabSize: 512 });
  return charsPerToken(tok, splitTokens(tok.encode(text), MODEL_PRESETS.tiny.blockSize).val);
}

const ready = (page: Page) => expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 90_000 }).toBe(true);
const done = (page: Page) => expect.poll(() => page.getByTestId('run-state').getAttribute('class'), { timeout: 120_000 }).toContain('state-done');
const rows = (page: Page) => page.getByTestId('run-row');
const chart = (page: Page) => page.getByTestId('loss-chart');
const xMax = async (page: Page) => Number((await chart(page).getAttribute('data-x-domain'))!.split(',')[1]);
/** A run's last val loss as its row shows it, in the unit its row says. */
const rowVal = async (page: Page, i: number) => Number(await rows(page).nth(i).getByTestId('run-summary').getAttribute('data-val'));

async function trainRun(page: Page, n: number): Promise<void> {
  await ready(page);
  await page.getByTestId('train-start').click();
  await expect.poll(() => rows(page).count(), { timeout: 60_000 }).toBe(n);
  await done(page);
}

describe('comparing runs', () => {
  it('a BPE run and a character run overlaid in bits per character; a new run’s chart fits that run', async () => {
    await withPage('backend=cpu&corpus=fox&preset=tiny&steps=200&tokenizer=bpe', async (page) => {
      await trainRun(page, 1);
      // Characters on the same text: a second run.
      await page.locator('input[name=tokenizer][value=char]').check();
      await page.getByRole('button', { name: 'Use this tokenizer' }).click();
      if (
        await page
          .getByTestId('confirm')
          .isVisible({ timeout: 5_000 })
          .catch(() => false)
      )
        await page.getByTestId('confirm').click();
      await expect.poll(() => page.getByTestId('vocab-size').getAttribute('data-count'), { timeout: 60_000 }).not.toBe('512');
      await trainRun(page, 2);

      // Nothing else is drawn until ticked: the chart is the char run's, in nats per token.
      expect(await chart(page).getAttribute('data-runs')).toBe('1');
      expect(await chart(page).getAttribute('data-unit')).toBe('nats');
      const bpeNats = await rowVal(page, 0);
      const charNats = await rowVal(page, 1);

      // Tick the BPE run: the chart compares the two in bits per character, automatically.
      await rows(page).nth(0).getByTestId('run-overlay').check();
      await expect.poll(() => chart(page).getAttribute('data-runs')).toBe('2');
      await expect.poll(() => chart(page).getAttribute('data-unit')).toBe('bits');
      expect(await page.getByTestId('loss-unit').getAttribute('data-unit')).toBe('bits');
      expect(await page.locator('.runs-overlay [data-run-id]').count()).toBe(1);
      expect(await page.getByTestId('val-loss').getAttribute('data-unit')).toBe('bits');
      const bpeBits = await rowVal(page, 0);
      const charBits = await rowVal(page, 1);
      // A character run: bits per character = nats ÷ ln 2.
      expect(charBits).toBeCloseTo(charNats / Math.LN2, 3);
      // The BPE run: ÷ its characters per token too — the fox text's val split in the same BPE-512, measured here in Node.
      expect(bpeBits).toBeCloseTo(bpeNats / (foxBpeCharsPerToken() * Math.LN2), 3);
      // The coach's numbers read in the same unit, with where twice the steps would land (or why it cannot say yet).
      await expect.poll(() => page.getByTestId('coach-projection').count()).toBe(1);
      expect(await page.getByTestId('coach').innerText()).toMatch(/bits\/char/);
      if (shots) await page.locator('section.training').screenshot({ path: path.join(shots, 'runs-in-bits.png') });
      // The live char run's strip and chart agree with its row.
      expect(Number(await page.getByTestId('val-loss').innerText())).toBeCloseTo(charBits, 2);
      // The person may choose nats anyway; the choice is remembered.
      await page.getByTestId('loss-unit').selectOption('nats');
      await expect.poll(() => chart(page).getAttribute('data-unit')).toBe('nats');
      expect(await rowVal(page, 0)).toBeCloseTo(bpeNats, 3);
      await page.getByTestId('loss-unit').selectOption('auto');

      // A new, shorter run: the older runs are not ticked for it, and its chart fits its 40 steps.
      await page.getByTestId('runs-clear-chart').click();
      await expect.poll(() => chart(page).getAttribute('data-runs')).toBe('1');
      await page.getByTestId('steps-input').fill('40');
      await page.getByTestId('steps-input').press('Enter');
      await trainRun(page, 3);
      expect(await rows(page).nth(2).getByTestId('run-overlay').isChecked()).toBe(false);
      expect(await chart(page).getAttribute('data-runs')).toBe('1');
      expect(await xMax(page)).toBe(100);
      if (shots) await page.locator('section.training').screenshot({ path: path.join(shots, 'new-run-fits.png') });
      // Comparing the runs on this corpus draws them all, and the frame grows to hold them.
      await page.getByTestId('runs-compare-corpus').click();
      await expect.poll(() => chart(page).getAttribute('data-runs')).toBe('3');
      expect(await xMax(page)).toBe(200);
      expect(await chart(page).getAttribute('data-unit')).toBe('bits');
    });
  }, 420_000);
});
