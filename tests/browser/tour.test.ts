/**
 * The guided tour in real Chromium: Show me sets the panels up and outlines what to look at
 * (in English and in Portuguese), the tour works from the keyboard, stays out of the way of
 * the page, fits a phone's width, and its progress survives a reload.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TOUR_DNA_PROMPT } from '../../src/state/tour';
import { previewPages } from './chromium';

const { withPage } = previewPages();
const FOX = 'The quick brown fox jumps over the lazy';

/** The test id (or class) of what the tour outlines now, or null. */
const outlined = (page: Page) =>
  page.evaluate(() => {
    const all = [...document.querySelectorAll('.tour-target')];
    if (all.length > 1) return `${all.length} outlined`;
    const el = all[0];
    return el ? (el.getAttribute('data-testid') ?? el.className.replace(/\s*tour-target/, '')) : null;
  });
/** Whether `selector` lies inside the window and clear of the tour's card. */
const clearOfCard = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const r = document.querySelector(sel)!.getBoundingClientRect();
    const c = document.getElementById('tour-card')!.getBoundingClientRect();
    const inside = r.top >= 0 && r.bottom <= window.innerHeight;
    return inside && (r.right <= c.left || r.left >= c.right || r.bottom <= c.top || r.top >= c.bottom);
  }, selector);
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.id ?? null);

async function modelLoaded(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('next-word').count(), { timeout: 90_000 }).toBeGreaterThan(0);
}

describe('the guided tour', () => {
  it('English: Show me sets the fox prompt and the bow sentence and outlines the target; keyboard; progress kept across a reload', async () => {
    await withPage('backend=wasm', async (page) => {
      await modelLoaded(page);
      // Train a few steps: a Show me that changes the corpus must now ask first.
      await page.getByTestId('train-start').click();
      await expect.poll(async () => Number(await page.getByTestId('step-count').getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(2);
      await page.getByTestId('train-pause').click();
      await page.getByTestId('prompt-input').fill('Anna has a');
      await page.getByTestId('tour-open').click();
      const card = page.getByTestId('tour-card');
      expect(await focusedId(page)).toBe('tour-title'); // the focus follows into the card
      expect(await page.getByTestId('tour-chapter').evaluateAll((els) => els.map((e) => e.getAttribute('data-chapter')))).toEqual([
        'predict',
        'corpus',
        'params',
        'training',
        'feedback',
        'attention',
        'gpu',
        'dna',
      ]);
      expect(await page.getByTestId('tour-title').innerText()).toBe('Guessing the next word');
      expect(await page.getByTestId('tour-text').innerText()).toMatch(/probability/);

      await page.getByTestId('tour-show').click();
      await expect.poll(() => outlined(page)).toBe('ranked');
      expect(await page.getByTestId('prompt-input').inputValue()).toBe(FOX);
      expect(await page.getByTestId('tour-shown').innerText()).toBe('Highlighted on the page.');

      // → moves on (the outline goes), ← comes back; Tab then Enter runs Show me.
      await page.getByTestId('tour-title').focus();
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => card.getAttribute('data-chapter')).toBe('corpus');
      expect(await outlined(page)).toBeNull();
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
      await expect.poll(() => card.getAttribute('data-chapter')).toBe('attention');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('tour-show');
      await page.keyboard.press('Enter');
      await expect.poll(() => outlined(page)).toBe('bow-pair');
      await expect.poll(() => page.getByTestId('prompt-input').inputValue()).toBe('At the end of the show, the singer took a bow');

      // GPUs: the backend race.
      await page.getByTestId('tour-next').click();
      await page.getByTestId('tour-show').click();
      await expect.poll(() => outlined(page)).toBe('race-start');

      // Backpropagation: opens its tab of "Inside the model", outlines the step, clear of the card.
      await page.locator('[data-testid="tour-chapter"][data-chapter="training"]').click();
      await page.getByTestId('tour-show').click();
      await expect.poll(() => outlined(page)).toBe('backprop-step');
      expect(await page.getByTestId('inside-tab-backprop').getAttribute('aria-selected')).toBe('true');
      expect(await page.getByTestId('prompt-input').inputValue()).toBe(FOX);
      await expect.poll(() => clearOfCard(page, '[data-testid="backprop-step"]')).toBe(true);

      // Shakespeare would replace the model trained here: Show me asks, and Cancel keeps it.
      await page.locator('[data-testid="tour-chapter"][data-chapter="corpus"]').click();
      await page.getByTestId('tour-show').click();
      await expect.poll(() => page.getByTestId('confirm').isVisible()).toBe(true);
      expect(await page.getByTestId('tour-shown').count()).toBe(0); // nothing highlighted while it asks
      await page.getByTestId('cancel').click();
      await expect.poll(() => page.getByTestId('tour-shown').getAttribute('data-kept')).toBe('true');
      expect(await page.getByTestId('tour-shown').innerText()).toBe('Nothing changed: you kept the model you trained.');
      expect(await outlined(page)).toBeNull();
      expect(await page.getByTestId('corpus-name').innerText()).toBe('The quick brown fox');
      await page.locator('[data-testid="tour-chapter"][data-chapter="gpu"]').click();

      // The page stays usable beside the card.
      await page.getByTestId('prompt-input').fill(FOX);
      expect(await page.getByTestId('prompt-input').inputValue()).toBe(FOX);

      // A reload comes back to the same chapter, still open.
      await page.reload();
      await expect.poll(() => card.getAttribute('data-chapter'), { timeout: 30_000 }).toBe('gpu');
      expect(await page.locator('[data-testid="tour-chapter"][aria-current="step"]').getAttribute('data-chapter')).toBe('gpu');
      expect(await outlined(page)).toBeNull();
      await page.getByTestId('tour-title').focus();
      await page.keyboard.press('Escape');
      await expect.poll(() => card.count()).toBe(0);
      expect(await focusedId(page)).toBe('tour-open'); // the focus goes back to the button
      expect(await page.getByTestId('tour-open').innerText()).toBe('Tour 7/8');
      await page.reload();
      await page.getByTestId('tour-open').click();
      await expect.poll(() => card.getAttribute('data-chapter')).toBe('gpu');
    });
  }, 240_000);

  it('Portuguese: chapter text and Show me in Portuguese, at a phone’s width without sideways scrolling', async () => {
    await withPage('backend=wasm&lang=pt', async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await modelLoaded(page);
      await page.getByTestId('prompt-input').fill('Anna has a');
      await page.getByTestId('tour-open').click();
      expect(await page.getByTestId('tour-title').innerText()).toBe('Adivinhar a próxima palavra');
      expect(await page.getByTestId('tour-text').innerText()).toMatch(/probabilidade/);
      expect(await page.getByTestId('tour-show').innerText()).toBe('Mostre-me');
      await page.getByTestId('tour-show').click();
      await expect.poll(() => outlined(page)).toBe('ranked');
      expect(await page.getByTestId('prompt-input').inputValue()).toBe(FOX);
      expect(await page.getByTestId('tour-shown').innerText()).toBe('Destacado na página.');
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

      // Parameters: the log ruler, from the 2-parameter line to GPT-3.
      await page.locator('[data-testid="tour-chapter"][data-chapter="params"]').click();
      expect(await page.getByTestId('tour-title').innerText()).toBe('“Grande” quer dizer parâmetros');
      await page.getByTestId('tour-show').click();
      await expect.poll(() => outlined(page)).toBe('param-scale');
      // The card's own words: its Try it is scrolled into view above Previous/Next.
      const tryBox = await page.getByTestId('tour-try').boundingBox();
      const navBox = await page.locator('.tour-nav').boundingBox();
      expect(tryBox && navBox && tryBox.y + tryBox.height <= navBox.y + 1).toBe(true);
      // Scrolled into view (smoothly: wait for it), above the tour's bar at the bottom.
      await expect
        .poll(
          async () =>
            ((await page.locator('.param-scale').boundingBox())?.y ?? -1) >= 0 && ((await page.locator('.param-scale').boundingBox())?.y ?? 844) < 400,
        )
        .toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

      // The genome: the bars answer the DNA prompt (once they answered the fox sentence the
      // genome model had just been asked about) and rank the start codon first, clear of the card.
      await page.locator('[data-testid="tour-chapter"][data-chapter="dna"]').click();
      await page.getByTestId('tour-show').click();
      await expect.poll(() => outlined(page), { timeout: 90_000 }).toBe('ranked');
      expect(await page.getByTestId('prompt-input').inputValue()).toBe(TOUR_DNA_PROMPT);
      await expect.poll(() => page.getByTestId('ranked').getAttribute('data-prompt'), { timeout: 30_000 }).toBe(TOUR_DNA_PROMPT);
      expect(await page.getByTestId('next-word').first().innerText()).toMatch(/^ATG\b/);
      await expect.poll(() => clearOfCard(page, '[data-testid="ranked"]'), { timeout: 10_000 }).toBe(true);
    });
  }, 240_000);
});
