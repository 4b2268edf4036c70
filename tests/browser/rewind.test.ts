/**
 * Rewind (issue 27), in real Chromium on the production build.
 *
 * 1. `nano` trained from scratch on the fox corpus for 200 steps: the scrubber lists the
 *    planned snapshots; rewound to step 0 (the keyboard) the ranked words and tokens are near
 *    uniform, at the latest snapshot they are the trained distribution (the live model's, to
 *    the digit: the run ended there); the film strip's top word ends on "dog" with its
 *    probability risen; a press on the chart's left edge rewinds, a drag follows the pointer;
 *    the rewound attention of a typed sentence names its step; the bar says it in Portuguese;
 *    nothing scrolls sideways at a phone's width; and after a reload and resuming the save,
 *    the same snapshots and the same film strip are back.
 * 2. A typed sentence shows attention word by word (the bundled fox model), and an edited
 *    "bow" sentence is read again, word by word.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { previewPages } from './chromium';

const { withPage } = previewPages();

const ready = (page: Page) => expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 90_000 }).toBe(true);
const attr = (page: Page, id: string, name: string) => page.getByTestId(id).first().getAttribute(name);
const probs = (page: Page, id: 'next-word' | 'next-token') =>
  page
    .getByTestId('ranked')
    .getByTestId(id)
    .evaluateAll((els) => els.map((e) => ({ word: e.getAttribute('data-word') ?? e.textContent ?? '', p: Number(e.getAttribute('data-prob')) })));
const frames = (page: Page) =>
  page
    .getByTestId('film-frame')
    .evaluateAll((els) =>
      els.map((e) => ({ step: Number(e.getAttribute('data-step')), top: e.getAttribute('data-top') ?? '', p: Number(e.getAttribute('data-prob')) })),
    );
/** The fox corpus's characters: a char model's vocabulary (uniform: 1/39 each). */
const V = 39;
const PLANNED = '0,10,20,30,50,70,100,200';

describe('rewind', () => {
  it('trains nano, rewinds to step 0 (near uniform) and to the latest snapshot (trained), shows the film strip rising, and keeps the snapshots across a reload', async () => {
    await withPage('backend=wasm&corpus=fox&preset=nano&steps=200', async (page) => {
      await ready(page);
      await page.getByTestId('train-start').click();
      await expect.poll(() => attr(page, 'run-state', 'data-state'), { timeout: 120_000, interval: 500 }).toBe('done');
      await expect.poll(() => attr(page, 'rewind', 'data-steps'), { timeout: 30_000 }).toBe(PLANNED);
      expect(await attr(page, 'rewind', 'data-now')).toBe('true');
      expect(Number(await attr(page, 'rewind-memory', 'data-bytes'))).toBeLessThan(8 * 1024 ** 2);

      // The film strip: a frame per snapshot; from a near-uniform guess to "dog", much more likely.
      await expect.poll(async () => (await frames(page)).map((f) => f.step).join(','), { timeout: 30_000 }).toBe(PLANNED);
      const strip = await frames(page);
      expect(strip[0]!.p).toBeLessThan(3 / V);
      expect(strip.at(-1)!.top).toBe('dog');
      expect(strip.at(-1)!.p).toBeGreaterThan(0.3);
      expect(strip.at(-1)!.p).toBeGreaterThan(5 * strip[0]!.p);
      const half = Math.floor(strip.length / 2);
      expect(Math.max(...strip.slice(half).map((f) => f.p))).toBeGreaterThan(Math.max(...strip.slice(0, half).map((f) => f.p)));
      // The live list once it answers for the run's last step (the answer may still be on its way as the run ends).
      await expect.poll(() => attr(page, 'ranked', 'data-at-step'), { timeout: 30_000 }).toBe('200');
      const live = await probs(page, 'next-word');
      expect(live[0]).toMatchObject({ word: 'dog' });

      // Step 0, from the keyboard: the untrained model's guesses are near uniform.
      await page.getByTestId('rewind').focus();
      await page.keyboard.press('Home');
      await expect.poll(() => attr(page, 'ranked', 'data-at-step'), { timeout: 30_000 }).toBe('0');
      expect(await attr(page, 'rewind', 'data-step')).toBe('0');
      expect(await attr(page, 'rewind-bar', 'data-step')).toBe('0');
      expect((await probs(page, 'next-word'))[0]!.p).toBeLessThan(3 / V);
      await page.getByRole('radio', { name: 'tokens' }).check();
      await expect.poll(async () => (await probs(page, 'next-token')).length, { timeout: 30_000 }).toBe(10);
      // Random weights (std 0.02) tilt the logits a little: the ten likeliest tokens all lie within a small factor of 1/V.
      const untrained = await probs(page, 'next-token');
      expect(untrained[0]!.p).toBeLessThan(2.5 / V);
      expect(untrained.at(-1)!.p).toBeGreaterThan(0.5 / V);
      await page.getByRole('radiogroup', { name: 'Show next words or next tokens' }).getByRole('radio', { name: 'words' }).check();
      await expect.poll(() => page.getByTestId('rewind-sample').getAttribute('data-step'), { timeout: 30_000 }).toBe('0');
      expect(Number(await attr(page, 'rewind-track', 'data-prob'))).toBeLessThan(0.01); // P(dog) before any training

      // The latest snapshot: End is "now", one step left of it the snapshot at 200 — the model as the run left it.
      await page.getByTestId('rewind').focus();
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => attr(page, 'ranked', 'data-at-step'), { timeout: 30_000 }).toBe('200');
      const latest = await probs(page, 'next-word');
      expect(latest.map((w) => w.word)).toEqual(live.map((w) => w.word));
      latest.forEach((w, i) => expect(w.p).toBeCloseTo(live[i]!.p, 6));

      // The chart: a press at its left edge rewinds to step 0; dragging right follows the pointer to later snapshots.
      const box = (await page.getByTestId('loss-chart').boundingBox())!;
      await page.mouse.move(box.x + 48, box.y + box.height / 2);
      await page.mouse.down();
      await expect.poll(() => attr(page, 'rewind', 'data-step')).toBe('0');
      await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      const dragged = Number(await attr(page, 'rewind', 'data-step'));
      expect(dragged).toBeGreaterThanOrEqual(100);
      expect(PLANNED.split(',').map(Number)).toContain(dragged);

      // A typed sentence's attention, as the snapshot on show read it.
      await page.getByTestId('attn-sentence').fill('The lazy dog');
      await expect.poll(() => attr(page, 'attention-view', 'data-text'), { timeout: 30_000 }).toBe('The lazy dog');
      expect(await attr(page, 'attention-view', 'data-rewound')).toBe('true');
      expect(await attr(page, 'attention-view', 'data-step')).toBe(String(dragged));

      // In Portuguese, and on a phone: the bar says it, and nothing scrolls sideways.
      await page.getByTestId('lang-pt').click();
      expect(await page.getByTestId('rewind-bar').innerText()).toContain(`passo ${dragged}`);
      await page.setViewportSize({ width: 390, height: 800 });
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.getByTestId('lang-en').click();
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByTestId('rewind-now').click();
      await expect.poll(() => page.getByTestId('rewind-bar').count()).toBe(0);
      await expect.poll(() => attr(page, 'ranked', 'data-at-step')).toBe('200');

      // A reload: resume the save, and the snapshots and the film strip are back as they were.
      await expect.poll(() => attr(page, 'autosaved', 'data-step'), { timeout: 30_000 }).toBe('200');
      await page.reload();
      await page.getByTestId('resume').click();
      await expect.poll(() => attr(page, 'rewind', 'data-steps'), { timeout: 60_000 }).toBe(PLANNED);
      await expect
        .poll(async () => (await frames(page)).map((f) => `${f.step}:${f.top}`).join(' '), { timeout: 30_000 })
        .toBe(strip.map((f) => `${f.step}:${f.top}`).join(' '));
      (await frames(page)).forEach((f, i) => expect(f.p).toBeCloseTo(strip[i]!.p, 6));
    });
  });

  it('shows a typed sentence’s attention word by word, and reads an edited “bow” sentence again', async () => {
    await withPage('backend=wasm&corpus=fox&preset=nano', async (page) => {
      await ready(page);
      const sentence = 'The lazy dog jumps over the fox'; // within nano's context of 32 characters
      await page.getByTestId('attn-sentence').fill(sentence);
      await page.getByTestId('attn-level-words').check();
      await expect.poll(() => attr(page, 'attention-view', 'data-text'), { timeout: 30_000 }).toBe(sentence);
      expect(await attr(page, 'attention-view', 'data-level')).toBe('words');
      expect(await attr(page, 'attention-view', 'data-rewound')).toBe('false');
      expect(await attr(page, 'attention-heatmap', 'data-tokens')).toBe('7'); // seven words, not 31 characters
      const words = await page
        .getByTestId('attn-word')
        .evaluateAll((els) => els.map((e) => ({ word: e.getAttribute('data-word'), w: Number(e.getAttribute('data-weight')) })));
      expect(words.map((x) => x.word)).toEqual(sentence.split(' '));
      // What "fox" looks at, word by word: a distribution over the words up to it.
      expect(words.reduce((s, x) => s + x.w, 0)).toBeCloseTo(1, 4);
      // Read from another word ("jumps"): nothing after it gets attention (attention only looks back).
      await page.getByTestId('attn-word').nth(3).click();
      expect(await attr(page, 'attn-words', 'data-query')).toBe('3');
      const fromJumps = await page.getByTestId('attn-word').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-weight'))));
      expect(fromJumps.slice(4).every((w) => w === 0)).toBe(true);
      expect(fromJumps.slice(0, 4).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 4);

      // The bow pair: edit the first sentence; the bow model reads it again, word by word.
      await expect.poll(() => page.getByTestId('bow-attention').count(), { timeout: 60_000 }).toBe(2);
      await page.getByTestId('bow-input').first().fill('The archer drew the bow');
      await expect.poll(() => page.getByTestId('bow-attention').first().locator('span').count(), { timeout: 30_000 }).toBe(5);
      expect(await page.getByTestId('bow-attention').first().getAttribute('data-level')).toBe('words');
    });
  });
});
