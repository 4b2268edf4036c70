/**
 * Inside the model (issue 16), in real Chromium on the production build with the bundled
 * fox model: the logit lens has one row per layer (and the embeddings), one inspected
 * step of backpropagation raises p(dog) on the fox sentence without touching the model,
 * and the embedding map has a point per token that moves as the model trains.
 * Set FOLIO_SHOTS=<dir> to also save a screenshot of each view there.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { previewPages } from './chromium';

const { withPage } = previewPages();
const shots = process.env.FOLIO_SHOTS;

const ready = (page: Page) => expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 90_000 }).toBe(true);
const FOX = 'The quick brown fox jumps over the lazy';

async function shoot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  await page.getByTestId('inside-panel').scrollIntoViewIfNeeded(); // in view first: off screen the panel does not redraw
  await page.waitForTimeout(1500); // the map's points glide into place
  await page.getByTestId('inside-panel').screenshot({ path: path.join(shots, `${name}.png`) });
}

async function setPrompt(page: Page, prompt: string): Promise<void> {
  await page.getByTestId('prompt-input').fill(prompt);
}

describe('inside the model', () => {
  it('shows the logit lens, one step of backpropagation, and the embeddings moving as the model trains', async () => {
    await withPage(`backend=wasm&corpus=fox&preset=nano&steps=100&lang=${process.env.FOLIO_LANG ?? 'en'}`, async (page) => {
      await ready(page);

      // Logit lens: the embeddings row and one per block; after "lazy " the model's answer is "d".
      await setPrompt(page, `${FOX} `);
      await page.getByTestId('inside-tab-lens').click();
      const rows = page.getByTestId('lens-row');
      await expect.poll(() => page.getByTestId('lens-for').getAttribute('data-prompt'), { timeout: 30_000 }).toBe(`${FOX} `);
      expect(await rows.count()).toBe(3); // nano: 2 layers + the embeddings
      expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-layer')))).toEqual(['0', '1', '2']);
      expect(await rows.nth(2).getAttribute('data-top')).toBe('d');
      expect(await rows.nth(0).getAttribute('data-top')).toBe('␣'); // the embeddings alone repeat the token read
      await shoot(page, 'lens');

      // One step of backpropagation on the fox sentence, true word "dog".
      await setPrompt(page, FOX);
      await page.getByTestId('inside-tab-backprop').click();
      await page.getByTestId('backprop-step').click();
      const prob = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-prob'));
      await expect.poll(() => page.getByTestId('backprop-after').count(), { timeout: 30_000 }).toBe(1);
      const before = await prob('backprop-before');
      const after = await prob('backprop-after');
      expect(before).toBeGreaterThan(0.3); // the bundled model already favours "dog"
      expect(after).toBeGreaterThan(before);
      const bars = page.getByTestId('grad-bar');
      expect(await bars.count()).toBe(9); // wte, wpe, 2 × (attn, mlp, ln), lnF
      const norms = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-norm'))));
      expect(norms.every((n) => n > 0)).toBe(true);
      // Step again: it goes on from the copy's new weights.
      await page.getByTestId('backprop-step').click();
      await expect.poll(() => prob('backprop-before'), { timeout: 30_000 }).toBeCloseTo(after, 5);
      expect(await prob('backprop-after')).toBeGreaterThan(after);
      await shoot(page, 'backprop');
      // The model itself was not trained: a fresh copy starts from the same p(dog).
      await page.getByRole('button', { name: /start over|recome/i }).click();
      await expect.poll(() => page.getByTestId('backprop-copy').innerText(), { timeout: 30_000 }).toMatch(/^1 /);
      expect(await prob('backprop-before')).toBeCloseTo(before, 5);

      // Embeddings: a point per token (39 characters), which move as training goes on.
      await page.getByTestId('inside-tab-embeddings').click();
      const points = page.getByTestId('embedding-point');
      await expect.poll(() => points.count(), { timeout: 30_000 }).toBe(39);
      const where = () =>
        points.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-token')}:${e.getAttribute('data-x')},${e.getAttribute('data-y')}`).join(' '));
      const start = await where();
      expect(start).toContain('␣:');
      await shoot(page, 'embeddings-trained');
      await page.getByTestId('train-start').click(); // fresh weights, 100 steps
      // While it trains, the map is redrawn every few steps (when on screen: the Train button is far above).
      // (The fresh model's map replaces the old one's: the panel, not the old map, is what stays on screen.)
      await page.getByTestId('inside-panel').scrollIntoViewIfNeeded();
      const drawnAt = async () => Number(await page.getByTestId('embedding-map').getAttribute('data-step'));
      await expect
        .poll(
          async () => {
            const s = await drawnAt();
            return s > 0 && s < 100;
          },
          { timeout: 60_000, interval: 50 },
        )
        .toBe(true);
      await expect.poll(async () => Number(await page.getByTestId('step-count').innerText()), { timeout: 90_000 }).toBe(100);
      await expect.poll(drawnAt, { timeout: 30_000 }).toBe(100);
      expect(await where()).not.toBe(start);
      await shoot(page, 'embeddings-step100');

      // Each view fits a phone: nothing scrolls sideways at 360 px.
      await page.setViewportSize({ width: 360, height: 800 });
      for (const tab of ['embeddings', 'lens', 'backprop']) {
        await page.getByTestId(`inside-tab-${tab}`).click();
        if (tab === 'backprop') {
          await page.getByTestId('backprop-step').click();
          await expect.poll(() => page.getByTestId('grad-bar').count(), { timeout: 30_000 }).toBe(9);
        }
        await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { timeout: 5000 }).toBeLessThanOrEqual(360);
      }
      await shoot(page, 'backprop-phone');
    });
  }, 240_000);
});
