/**
 * The backend race and the size sweep in the built page, in Chromium with SwiftShader's
 * WebGPU adapter exposed: a race of the tiny model on wasm and cpu (the emulated GPUs
 * skipped and saying why), then with "include emulated" ticked (WebGPU on SwiftShader
 * races too, labelled emulated), first losses equal within 1e-3; the backend in use is
 * the same afterwards. A sweep of the two tiniest sizes puts two points on the plot.
 * Timings are never checked.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, startPreview } from './chromium';

let server: PreviewServer | undefined;
let browser: BrowserContext | undefined;
let url = '';

beforeAll(async () => {
  ({ server, url } = await startPreview(inject('folioDist'))); // the run's production build
  browser = await launchChromium({ webgpu: true }); // SwiftShader's WebGPU adapter: software
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(query: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}no-such-page`);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${url}?${query}`);
  await expect.poll(() => page.getByTestId('race-start').isEnabled(), { timeout: 120_000 }).toBe(true);
  return { page, errors };
}

const rows = (page: Page) =>
  page.getByTestId('race-result').evaluateAll((els) =>
    els.map((e) => ({
      backend: e.getAttribute('data-backend')!,
      ms: Number(e.getAttribute('data-ms-per-step')),
      loss: Number(e.getAttribute('data-first-loss')),
      emulated: e.getAttribute('data-emulated'),
    })),
  );
const skips = (page: Page) =>
  page.getByTestId('race-skipped').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-backend')!, e.textContent ?? ''])));

async function race(page: Page, steps: number, emulated: boolean) {
  await page.getByTestId('race-steps').fill(String(steps));
  if (emulated) await page.getByTestId('race-emulated').check();
  await page.getByTestId('race-start').click();
  await expect.poll(() => page.getByTestId('race-status').getAttribute('data-status'), { timeout: 240_000, interval: 500 }).toBe('done');
  return { results: await rows(page), skipped: await skips(page) };
}

describe('backend race', () => {
  it('races wasm and cpu with equal first losses, then WebGPU on SwiftShader when "include emulated" is ticked; the backend stays wasm', async () => {
    const { page, errors } = await open('backend=wasm&corpus=fox&preset=tiny');
    try {
      const stepBefore = await page.getByTestId('step-count').innerText();
      const first = await race(page, 2, false);
      expect(await page.getByTestId('step-count').innerText()).toBe(stepBefore); // the live model did not train
      const names = first.results.map((r) => r.backend);
      expect(names).toContain('wasm');
      expect(names).toContain('cpu');
      expect(names).not.toContain('webgpu');
      expect(first.skipped.webgpu).toMatch(/emulated on the CPU/);
      for (const r of first.results) {
        expect(r.emulated).toBe('false');
        expect(r.ms).toBeGreaterThan(0);
        expect(Math.abs(r.loss - first.results[0]!.loss)).toBeLessThan(1e-3);
      }

      const second = await race(page, 2, true);
      const gpu = second.results.find((r) => r.backend === 'webgpu');
      expect(gpu, JSON.stringify(second)).toBeDefined();
      expect(gpu!.emulated).toBe('true');
      const cpu = second.results.find((r) => r.backend === 'cpu')!;
      for (const r of second.results) expect(Math.abs(r.loss - cpu.loss), r.backend).toBeLessThan(1e-3);
      expect(Math.abs(cpu.loss - first.results.find((r) => r.backend === 'cpu')!.loss)).toBeLessThan(1e-6); // same seed, same batches
      expect(await page.getByTestId('race-agree').getAttribute('data-spread')).toBeDefined();
      expect(await page.getByTestId('backend').getAttribute('data-backend')).toBe('wasm');
      // On a phone the table scrolls inside its own box; the page never scrolls sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 420_000);
});

describe('size sweep', () => {
  it('sweeps the two tiniest sizes: two points, the larger one to the right', async () => {
    const { page, errors } = await open('backend=wasm&corpus=fox&preset=tiny');
    try {
      await page.getByTestId('sweep-largest').selectOption('1');
      await page.getByTestId('sweep-budget').fill('4096');
      await page.getByTestId('sweep-start').click();
      await expect.poll(() => page.getByTestId('sweep').getAttribute('data-status'), { timeout: 120_000, interval: 500 }).toBe('done');
      const points = await page
        .getByTestId('sweep-point')
        .evaluateAll((els) => els.map((e) => ({ params: Number(e.getAttribute('data-params')), val: Number(e.getAttribute('data-val-loss')) })));
      expect(points).toHaveLength(2);
      expect(points[0]!.params).toBeLessThan(points[1]!.params);
      for (const p of points) expect(p.val).toBeGreaterThan(0);
      // Each size is also a run in the runs list; not drawn on the loss chart until ticked (here: all the runs on this corpus).
      const rows = page.getByTestId('run-row');
      expect(await rows.count()).toBeGreaterThanOrEqual(2);
      expect(await page.getByTestId('loss-chart').getAttribute('data-runs')).toBe('0');
      await page.getByTestId('runs-compare-corpus').click();
      await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-runs'))).toBeGreaterThanOrEqual(2);
      expect(await rows.last().getByTestId('run-diff').innerText()).toMatch(/→/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);
});
