/**
 * npm run bench:stamina [-- --seconds 120] [--preset nano]
 *
 * Trains in the built page (production build, wasm, Folio's matMul threads, cross-origin
 * isolated) for a fixed time and prints the step reached: once as it is, once with one
 * matMul helper ended right after the first step (training then goes on, on one thread).
 * Not a test: the numbers depend on the machine and what else runs on it.
 */
import { rmSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { launchChromium, startPreview } from '../browser/chromium';
import { flag } from './args';

const seconds = Number(flag('seconds', '120'));
const preset = flag('preset', 'nano');

async function run(browser: BrowserContext, url: string, killHelper: boolean): Promise<{ step: number; badge: string }> {
  const page = await browser.newPage();
  try {
    await page.goto(`${url}no-such-page`);
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${url}?backend=wasm&corpus=fox&preset=${preset}&steps=10000000`);
    await page.getByTestId('train-start').waitFor();
    while (!(await page.getByTestId('train-start').isEnabled())) await page.waitForTimeout(200);
    await page.getByTestId('train-start').click();
    const began = Date.now();
    const stepOf = async () => Number(await page.getByTestId('step-count').getAttribute('data-step'));
    if (killHelper) {
      while ((await stepOf()) < 1) await page.waitForTimeout(50);
      const worker = page.workers().find((w) => !/gemmWorker/.test(w.url()))!;
      await worker.evaluate(() => (self as unknown as { folioStopHelper: () => void }).folioStopHelper());
    }
    await page.waitForTimeout(seconds * 1000 - (Date.now() - began));
    return { step: await stepOf(), badge: await page.getByTestId('backend').innerText() };
  } finally {
    await page.close();
  }
}

const { url, server, outDir } = await startPreview();
const browser = await launchChromium({ webgpu: false });
try {
  for (const kill of [false, true]) {
    const r = await run(browser, url, kill);
    console.log(`${preset}, ${seconds} s of training in the built page${kill ? ', one helper ended after step 1' : ''}: step ${r.step} (${r.badge})`);
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(outDir, { recursive: true, force: true });
}
