/**
 * The page in real Chromium: it picks a backend on its own and says why, and it stays
 * responsive (no main-thread task over 100 ms) while the worker trains.
 */
import { availableParallelism, loadavg } from 'node:os';
import { describe, expect, it } from 'vitest';
import { previewPages } from './chromium';

const { withPage } = previewPages();

describe('the page', () => {
  it('falls back to another backend without WebGPU, and says which and why', async () => {
    await withPage('corpus=fox&preset=tiny', async (page) => {
      const badge = page.getByTestId('backend');
      await expect.poll(() => badge.getAttribute('data-backend'), { timeout: 60_000 }).toBe('wasm');
      await expect.poll(() => badge.textContent()).toMatch(/wasm/);
      await badge.click(); // open the details
      const reasons = await page.getByTestId('backend-skipped').innerText();
      expect(reasons).toMatch(/webgpu skipped: no WebGPU adapter is available/);
      expect(reasons).toMatch(/webgl skipped: WebGL runs on a software renderer/);
    });
  }, 120_000);

  it('stays responsive while training on wasm, with the live charts: no main-thread task over 100 ms in 10 s', async () => {
    await withPage('backend=wasm&corpus=fox&preset=nano&steps=100000', async (page) => {
      const start = page.getByTestId('train-start');
      await expect.poll(() => start.isEnabled(), { timeout: 120_000 }).toBe(true);
      await page.evaluate(() => {
        const w = window as unknown as { longTasks: number[] };
        w.longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.longTasks.push(Math.round(e.duration));
        }).observe({ type: 'longtask' });
      });
      await start.click();
      const loadBefore = loadavg()[0]!;
      await page.waitForTimeout(10_000);
      // On a machine other work keeps busy, the page's thread gets a share of a core, and every
      // task takes longer by the same factor: the budget scales with the runnable processes per
      // core (the load average), so the test fails on the page's own work, not on its neighbours.
      const share = Math.max(1, Math.max(loadBefore, loadavg()[0]!) / availableParallelism());
      const budget = Math.round(100 * share);
      const steps = Number(await page.getByTestId('step-count').getAttribute('data-step'));
      const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
      console.log(`responsiveness: ${steps} steps in 10 s; long tasks: ${JSON.stringify(longTasks)}; budget ${budget} ms (load ×${share.toFixed(2)})`);
      expect(steps).toBeGreaterThan(0);
      // 100 ms is where a person notices a delay (RAIL), on an idle machine. Tasks of 50–100 ms are
      // logged above but not failed on: on this shared 2-core machine one can come from the scheduler.
      // A recharts redraw with data inside recharts was 64–215 ms here (idle), so this still catches it.
      expect(longTasks.filter((d) => d > budget)).toEqual([]);
      await page.getByTestId('train-pause').click();
    });
  }, 240_000);

  it('shows ranked next words for the fox prompt (probabilities sum to ≤ 1) and updates them as you type', async () => {
    await withPage('backend=wasm&corpus=fox&preset=tiny', async (page) => {
      const words = page.getByTestId('next-word');
      await expect.poll(() => words.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(5);
      expect(await page.getByTestId('prompt-input').inputValue()).toBe('The quick brown fox jumps over the lazy');
      const read = () => words.evaluateAll((els) => els.map((e) => [e.getAttribute('data-word'), Number(e.getAttribute('data-prob'))] as const));
      const before = await read();
      const sum = before.reduce((s, [, p]) => s + p, 0);
      expect(sum).toBeGreaterThan(0);
      expect(sum).toBeLessThanOrEqual(1 + 1e-6);
      for (const [, p] of before) expect(p).toBeGreaterThanOrEqual(0);
      await page.getByTestId('prompt-input').fill('Anna has a');
      await expect.poll(async () => JSON.stringify(await read()), { timeout: 30_000 }).not.toBe(JSON.stringify(before));
      // Clicking a word appends it to the prompt. (The list may answer once more as the last
      // keystroke lands, so the word clicked is one of the list just before or just after.)
      const shown = (await read()).map(([w]) => w!);
      await words.first().click();
      await expect.poll(() => page.getByTestId('prompt-input').inputValue()).not.toBe('Anna has a');
      const appended = (await page.getByTestId('prompt-input').inputValue()).slice('Anna has a'.length);
      expect([...shown, ...(await read()).map(([w]) => w!)].map((w) => w.trim())).toContain(appended.trim());
    });
  }, 180_000);

  it('runs under its Content-Security-Policy without a single violation', async () => {
    await withPage('backend=wasm&corpus=fox&preset=tiny', async (page) => {
      await page.evaluate(() => {
        const w = window as unknown as { violations: string[] };
        w.violations = [];
        document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      await expect.poll(() => page.getByTestId('next-word').count(), { timeout: 60_000 }).toBeGreaterThan(0);
      await page.getByTestId('train-start').click();
      await expect.poll(async () => Number(await page.getByTestId('step-count').getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(2);
      await page.getByTestId('train-pause').click();
      await page.getByTestId('generate').click();
      await expect.poll(() => page.getByTestId('generated-text').getAttribute('data-done'), { timeout: 60_000 }).toBe('true');
      // An inline script is refused: the policy is really in force.
      await page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.injected = true';
        document.head.append(s);
      });
      const state = await page.evaluate(() => ({
        injected: (window as unknown as { injected?: boolean }).injected ?? false,
        violations: (window as unknown as { violations: string[] }).violations,
      }));
      expect(state.injected).toBe(false);
      expect(state.violations).toEqual(['script-src-elem inline']);
    });
  }, 180_000);
});
