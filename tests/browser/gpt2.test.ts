/**
 * GPT-2 beside your model, in the page as visitors get it (the production build, its CSP):
 * a GPT-2-layout model the test wrote (GPT-2's real vocabulary, small random weights) is
 * served under the Hub's URL layout, the page's requests to huggingface.co and to the CDN it
 * redirects to are answered by that local server; the page says the size before it downloads,
 * shows progress, loads the model in the worker, shows both ranked lists (the guest's the same
 * words Node computes for the model) and marks the ruler. After a reload with the Hub
 * unreachable, the model comes back from Cache Storage and answers again. No CSP violation.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpt2Model, readGpt2 } from '../../src/checkpoint/gpt2';
import { disposeGPT } from '../../src/model/gpt';
import { predictNext } from '../../src/predict/predictor';
import { backend } from '../helpers';
import { serveHub, writeGpt2Folder, type HubServer } from '../gpt2Fixture';
import { tempDir } from '../tempDir';
import { previewPages } from './chromium';

const { withPage } = previewPages();
const tmp = tempDir('gpt2-page');
const dir = path.join(tmp, 'tiny-gpt2');
const REPO = 'test-org/tiny-gpt2';
const FOX = 'The quick brown fox jumps over the lazy';
const CDN = 'https://us.aws.cdn.hf.co';
let server: HubServer;

beforeAll(async () => {
  writeGpt2Folder(dir, { seed: 11 });
  server = await serveHub({ [REPO]: dir }, CDN);
});
afterAll(() => server?.close());

/** The Hub and its CDN: huggingface.co and every host under hf.co. */
const isHub = (url: URL) => url.protocol === 'https:' && (url.hostname === 'huggingface.co' || url.hostname.endsWith('.hf.co'));

/** The page's requests to the Hub and its CDN go to the local server (or fail, `offline`). */
async function routeHub(page: Page, offline: boolean): Promise<void> {
  await page.route(isHub, async (route) => {
    if (offline) return route.abort('internetdisconnected');
    const url = new URL(route.request().url());
    // Chromium does not route the request a fulfilled redirect leads to, so the redirect to the
    // CDN is followed here (the CDN host itself is fetched directly below, under the CSP).
    let response = await route.fetch({ url: server.url + url.pathname, maxRedirects: 0 });
    const location = response.headers()['location'];
    if (response.status() === 302 && location) response = await route.fetch({ url: server.url + new URL(location).pathname, maxRedirects: 0 });
    await route.fulfill({ response });
  });
}

/** The words Node ranks for the same files: what the page's guest column must show. */
async function expectedWords(): Promise<string[]> {
  await backend('cpu');
  const b = readFileSync(path.join(dir, 'model.safetensors'));
  const { model, tokenizer } = gpt2Model(
    readGpt2({
      config: readFileSync(path.join(dir, 'config.json'), 'utf8'),
      tokenizer: readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'),
      safetensors: new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
    }),
  );
  const r = await predictNext(model, tokenizer, FOX, { topTokens: 10, beam: { topWords: 10 } });
  disposeGPT(model);
  expect(tf.memory().numTensors).toBeGreaterThanOrEqual(0);
  return r.words.map((w) => (w.continues ? `+${w.word}` : w.word));
}

describe('GPT-2 from the Hub, beside your model', () => {
  it('sizes, downloads with progress, answers beside the toy, marks the ruler, and survives a reload offline', async () => {
    const words = await expectedWords();
    expect(words.length).toBeGreaterThanOrEqual(5);
    const total = ['config.json', 'tokenizer.json', 'model.safetensors'].reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
    await withPage('backend=wasm&corpus=fox&preset=tiny', async (page) => {
      const watchCsp = () =>
        page.evaluate(() => {
          const w = window as unknown as { violations: string[] };
          w.violations = [];
          document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
        });
      const violations = () => page.evaluate(() => (window as unknown as { violations?: string[] }).violations ?? []);
      await watchCsp();
      await routeHub(page, false);
      await expect.poll(() => page.getByTestId('next-word').count(), { timeout: 90_000 }).toBeGreaterThan(0);
      await page.getByTestId('hub-repo').fill(REPO);
      await page.getByTestId('hub-check').click();
      // The size first: nothing downloaded yet.
      await expect.poll(() => page.getByTestId('hub-size').getAttribute('data-bytes'), { timeout: 30_000 }).toBe(String(total));
      expect(server.requests.filter((r) => r.startsWith('GET'))).toEqual([]);
      await page.getByTestId('hub-download').click();
      await expect.poll(() => page.getByTestId('hub-loaded').count(), { timeout: 90_000 }).toBe(1);
      expect(server.requests).toContain(`GET /cdn/${REPO}/model.safetensors`);
      await expect.poll(() => page.getByTestId('side-by-side').count()).toBe(1);
      const guestWords = page.getByTestId('guest-word');
      await expect.poll(() => guestWords.count(), { timeout: 90_000 }).toBe(10);
      expect(await guestWords.evaluateAll((els) => els.map((e) => e.getAttribute('data-word')))).toEqual(words);
      expect(await page.getByTestId('next-word').count()).toBeGreaterThan(0); // your model still answers beside it
      expect(await page.getByTestId('param-scale-guest').getAttribute('data-params')).toBe(
        String(await page.getByTestId('hub-loaded').getAttribute('data-params')),
      );

      expect(await violations()).toEqual([]);

      // Reload with the Hub unreachable: the model comes back from the browser's cache.
      const before = server.requests.length;
      await page.unroute(isHub);
      await routeHub(page, true);
      await page.reload();
      await expect.poll(() => page.getByTestId('hub-loaded').count(), { timeout: 90_000 }).toBe(1);
      await expect.poll(() => page.getByTestId('guest-word').count(), { timeout: 90_000 }).toBe(10);
      expect(await page.getByTestId('guest-word').evaluateAll((els) => els.map((e) => e.getAttribute('data-word')))).toEqual(words);
      expect(server.requests.length).toBe(before);
      await watchCsp();

      // The CSP lets the page reach the Hub's CDN hosts (under hf.co) and nothing else.
      await page.unroute(isHub);
      await routeHub(page, false);
      const status = await page.evaluate((u) => fetch(u).then((r) => r.status), `${CDN}/cdn/${REPO}/config.json`);
      expect(status).toBe(200);
      const elsewhere = await page.evaluate(() =>
        fetch('https://example.com/').then(
          () => 'fetched',
          () => 'refused',
        ),
      );
      expect(elsewhere).toBe('refused');
      expect(await violations()).toEqual(['connect-src https://example.com/']);
    });
  }, 300_000);
});
