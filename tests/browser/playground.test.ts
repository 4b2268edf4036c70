/**
 * The playground as a visitor uses it, in real Chromium on the production build, driven
 * only through the test hooks the acceptance contract names (data-testid, URL params).
 * Every run is seeded; timings are never asserted here (see `npm run bench`).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MODEL_PRESETS, paramCount, validateModelConfig } from '../../src/config';
import { noticeText } from '../../src/i18n';
import { previewPages } from './chromium';
import { tempDir } from '../tempDir';

const { withPage, url: baseUrl } = previewPages();
const files = tempDir('files');

const ready = (page: Page) => expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 90_000 }).toBe(true);
const stepOf = async (page: Page) => Number(await page.getByTestId('step-count').getAttribute('data-step'));

describe('the playground', () => {
  it('trains from scratch: the counter moves, the loss chart fills, val loss shows; pause holds; resume finishes', async () => {
    // 150 steps: long enough that Pause, clicked once 4 have run, lands before the run ends.
    await withPage('backend=wasm&corpus=fox&preset=nano&steps=150', async (page) => {
      await ready(page);
      expect(await page.getByTestId('train-start').innerText()).toMatch(/from scratch/i); // the bundled model is trained
      await page.getByTestId('train-start').click();
      await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeLessThan(600); // fresh weights: the count starts again
      await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(4);
      await page.getByTestId('train-pause').click();
      await expect.poll(() => page.getByTestId('resume').isVisible(), { timeout: 30_000 }).toBe(true);
      const held = await stepOf(page);
      await page.waitForTimeout(2000);
      expect(await stepOf(page)).toBe(held);
      // The chart is drawn (an SVG line) with one point per step trained.
      await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-points'), { timeout: 10_000 }).toBe(String(held));
      await expect.poll(() => page.getByTestId('loss-chart').locator('.loss-series path.smooth').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
      // Hovering the chart gives exact values.
      await page.getByTestId('loss-chart-hover').hover();
      await expect.poll(() => page.getByTestId('loss-chart').innerText()).toMatch(/train loss\s*:\s*\d+\.\d{4}/);
      await page.getByTestId('resume').click();
      await expect.poll(() => stepOf(page), { timeout: 90_000 }).toBe(150);
      await expect.poll(() => page.getByTestId('val-loss').innerText(), { timeout: 30_000 }).toMatch(/^\d+\.\d{3}$/);
      // The chart redraws on a throttle (REDRAW_MS), so its val point can trail the number above.
      await expect
        .poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-val-points')), { timeout: 10_000 })
        .toBeGreaterThanOrEqual(1);
      await expect.poll(() => page.getByTestId('samples').innerText(), { timeout: 30_000 }).toMatch(/150/); // a sample at the end
      // The tracked word ("dog") has a curve over the steps it was measured.
      await expect.poll(async () => Number(await page.getByTestId('track-chart').getAttribute('data-points')), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      await expect.poll(() => page.getByTestId('track-chart').locator('.track-series path').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
    });
  }, 240_000);

  it('swaps the corpus: an upload replaces name and vocabulary (asking first once trained); bad files are refused and nothing is lost', async () => {
    await withPage('backend=wasm&corpus=fox&preset=tiny', async (page) => {
      await ready(page);
      const name = page.getByTestId('corpus-name');
      expect(await name.innerText()).toBe('The quick brown fox');
      const good = path.join(files, 'apples.txt');
      const apples = 'Anna has a red apple. Bob has a green pear. '.repeat(100);
      writeFileSync(good, apples);
      await page.getByTestId('corpus-file').setInputFiles(good);
      await expect.poll(() => name.innerText(), { timeout: 60_000 }).toBe('apples.txt');
      expect(await page.getByTestId('vocab-size').innerText()).toBe(String(new Set(apples).size)); // its distinct characters
      // Train one step: now a swap would lose work, so the page asks.
      await page.getByRole('button', { name: /one step/i }).click();
      await expect.poll(() => stepOf(page), { timeout: 30_000 }).toBe(1);
      const other = path.join(files, 'numbers.txt');
      writeFileSync(other, '0123456789 '.repeat(100));
      await page.getByTestId('corpus-file').setInputFiles(other);
      await expect
        .poll(() => page.getByTestId('confirm-body').innerText())
        .toMatch(/trained 1 steps?\. A new corpus or size starts a new model from random weights/);
      await page.getByTestId('confirm').click();
      await expect.poll(() => name.innerText(), { timeout: 60_000 }).toBe('numbers.txt');
      expect(await page.getByTestId('vocab-size').innerText()).toBe('11');
      // Broken files: each refused with a sentence; the active corpus stays.
      const cases: [string, Buffer, RegExp][] = [
        ['binary.bin', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0x14, 0]), /binary/i],
        ['empty.txt', Buffer.alloc(0), /empty/i],
        ['utf16.txt', Buffer.from('\ufeffhello there, this is utf-16 text', 'utf16le'), /UTF-16/],
        ['one.txt', Buffer.from('a'.repeat(500)), /one character|single|only/i],
      ];
      for (const [file, bytes, why] of cases) {
        writeFileSync(path.join(files, file), bytes);
        await page.getByTestId('corpus-file').setInputFiles(path.join(files, file));
        await expect.poll(() => page.getByTestId('corpus-error').innerText(), { timeout: 30_000 }).toMatch(why);
        expect(await name.innerText()).toBe('numbers.txt');
      }
      expect(await page.getByTestId('vocab-size').innerText()).toBe('11');
    });
  }, 240_000);

  it('generates text token by token, and shows attention for the prompt and the two "bow" sentences', async () => {
    await withPage('backend=wasm&corpus=fox&preset=nano', async (page) => {
      await ready(page);
      await page.getByTestId('generate').click();
      const out = page.getByTestId('generated-text');
      await expect.poll(() => out.getAttribute('data-done'), { timeout: 60_000 }).toBe('true');
      expect(Number(await out.getAttribute('data-tokens'))).toBe(200);
      expect((await out.innerText()).length).toBeGreaterThan(100);
      await out.locator('.gen-tok').nth(2).hover();
      expect(await page.getByTestId('token-details').innerText()).toMatch(/\d+(\.\d)?%/);
      const heat = page.getByTestId('attention-heatmap');
      await expect.poll(() => heat.getAttribute('data-tokens'), { timeout: 30_000 }).toBe('32'); // the prompt, cropped to the context
      expect(await page.getByTestId('bow-attention').count()).toBe(2);
      // Greedy is deterministic: two runs write the same text.
      await page.getByTestId('greedy').check();
      const greedyText = async () => {
        await page.getByTestId('generate').click();
        await expect.poll(() => out.getAttribute('data-done'), { timeout: 60_000 }).toBe('true');
        return out.innerText();
      };
      expect(await greedyText()).toBe(await greedyText());
      expect(await page.getByTestId('gen-unknown').count()).toBe(0);
      // Characters the fox text never had: the model writes on from what it can read, and says which it skipped.
      await page.getByTestId('prompt-input').fill('日本語 the lazy');
      await expect.poll(() => page.getByTestId('ranked').getAttribute('data-prompt'), { timeout: 30_000 }).toBe('日本語 the lazy');
      await greedyText();
      expect(await page.getByTestId('gen-unknown').innerText()).toMatch(/never seen \(ignored\): 日 本 語$/);
    });
  }, 240_000);

  it('sizes the model: presets change the parameter count, bad custom sizes are explained', async () => {
    await withPage('backend=wasm&corpus=fox&preset=nano', async (page) => {
      await ready(page);
      const count = page.getByTestId('param-count');
      const vocabSize = Number(await page.getByTestId('vocab-size').getAttribute('data-count'));
      expect(Number(await count.getAttribute('data-count'))).toBe(paramCount({ ...MODEL_PRESETS.nano, vocabSize }));
      await page.getByTestId('model-preset').selectOption('tiny');
      await page.getByTestId('build-model').click();
      await expect.poll(() => count.getAttribute('data-count'), { timeout: 60_000 }).toBe(String(paramCount({ ...MODEL_PRESETS.tiny, vocabSize })));
      await page.getByTestId('model-preset').selectOption('custom');
      await page.getByLabel('Heads', { exact: true }).fill('3');
      expect(await page.getByTestId('model-error').innerText()).toMatch(/divisible by the number of heads/);
      expect(await page.getByTestId('build-model').isDisabled()).toBe(true);

      // Each field wrong in turn: the list says exactly what is wrong now, no line left over from before
      // (several checks share a code, which once kept a stale "got 0" line on screen).
      const field = (label: string) => page.getByLabel(label, { exact: true });
      const fill = async (sizes: [string, string, string, string, string]) => {
        for (const [i, label] of ['Layers', 'Heads', 'Embedding size', 'Context length', 'Dropout'].entries()) await field(label).fill(sizes[i]!);
      };
      const lines = () => page.getByTestId('model-error').locator('li').allInnerTexts();
      await fill(['0', '0', '0', '0', '0']);
      const draft = { nLayer: -3, nHead: 2.5, nEmbd: 1e9, blockSize: 99999, dropout: 2 };
      await fill(['-3', '2.5', '1e9', '99999', '2']);
      await expect.poll(lines).toEqual(validateModelConfig(draft).map((n) => noticeText('en', n)));
      expect(await lines()).toHaveLength(5);

      // Well-formed but 2.4 billion parameters: refused as it is typed, with the reason, instead of a minute of building.
      await fill(['48', '16', '2048', '4096', '0.1']);
      await expect.poll(lines).toEqual([expect.stringMatching(/cannot train in a browser tab: it needs at least [\d.,]+ GB/)]);
      expect(await page.getByTestId('build-model').isDisabled()).toBe(true);
      expect(Number(await count.getAttribute('data-count'))).toBe(paramCount({ ...MODEL_PRESETS.tiny, vocabSize })); // the model built before stays
    });
  }, 180_000);

  it('speaks Portuguese on request and remembers settings; the URL carries them', async () => {
    await withPage('backend=wasm&corpus=fox&preset=tiny&steps=77', async (page) => {
      await ready(page);
      await page.getByTestId('lang-pt').click();
      await expect.poll(() => page.locator('#next-h').innerText()).toBe('O que vem depois?');
      await page.getByTestId('prompt-input').fill('The quick brown');
      await expect.poll(() => new URL(page.url()).searchParams.get('prompt'), { timeout: 5000 }).toBe('The quick brown');
      expect(new URL(page.url()).searchParams.get('steps')).toBe('77');
      await page.goto(`${baseUrl()}?backend=wasm&preset=tiny`); // no lang in the URL: remembered
      await ready(page);
      expect(await page.locator('#next-h').innerText()).toBe('O que vem depois?');
      expect(await page.getByTestId('train-start').innerText()).toMatch(/Treinar/);
    });
  }, 180_000);
});
