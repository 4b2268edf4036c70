/**
 * dist/ on a plain static host (issue 19): a tiny Node server that sends no COOP/COEP
 * headers serves the production build under /folio/. Folio's service worker must make the
 * page cross-origin isolated after one reload (wasm on more than one thread), keep it all
 * offline (a reload with the network off still ranks the fox's words and trains), replace
 * that copy when a new build is published, and the
 * page's *Save for Python / Hugging Face* must download a folder (one .zip) that *Load from files*
 * reads back to the same ranked words.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hfFromZip } from '../../src/checkpoint/hfZip';
import { unzipStored } from '../../src/util/zip';
import { launchChromium } from './chromium';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

/** A static server with nothing but files and content types: what GitHub Pages and most hosts give. */
function staticServer(dir: string, base: string): Promise<{ server: Server; origin: string; requests: string[]; down: { now: boolean } }> {
  const requests: string[] = [];
  const down = { now: false }; // the host unreachable: every connection dropped
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname);
    if (down.now) return void req.socket.destroy();
    if (url.pathname === base.slice(0, -1)) return void res.writeHead(301, { Location: base + url.search }).end();
    if (!url.pathname.startsWith(base)) return void res.writeHead(404).end();
    let file = path.normalize(path.join(dir, decodeURIComponent(url.pathname.slice(base.length))));
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
      const body = readFileSync(file);
      // Vary: Origin, as vite preview and many CDNs send: the offline copy must still match.
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length, Vary: 'Origin' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests, down })),
  );
}

const SHOTS = '/work/shots/host';
const isolated = (page: Page) => page.evaluate(() => crossOriginIsolated).catch(() => false); // false while reloading
const stepOf = async (page: Page) => Number(await page.getByTestId('step-count').innerText());
const words = (page: Page) => page.getByTestId('next-word').evaluateAll((els) => els.map((e) => e.getAttribute('data-word')));

describe('dist/ on a static host that sends no COOP/COEP, under /folio/', () => {
  let outDir = '';
  let host: Awaited<ReturnType<typeof staticServer>> | undefined;
  let browser: BrowserContext | undefined;
  beforeAll(async () => {
    // A copy of the run's production build (sharedBuild.ts): the test publishes a new sw.js in it.
    outDir = mkdtempSync(path.join(tmpdir(), 'folio-host-'));
    cpSync(inject('folioDist'), outDir, { recursive: true });
    host = await staticServer(outDir, '/folio/');
    browser = await launchChromium({ webgpu: false, serviceWorkers: 'allow' });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    host?.server.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('becomes cross-origin isolated after one reload, trains on wasm threads, exports and imports a Hugging Face folder, and works offline', async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && errors.push(m.text()));
    try {
      await page.goto(`${host!.origin}/folio?backend=wasm&corpus=fox&preset=nano&steps=20`); // the host's redirect to /folio/
      // Not isolated on the first load (the host sent no headers); the service worker's reload makes it so.
      await expect.poll(() => isolated(page), { timeout: 90_000 }).toBe(true);
      expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
      expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("script-src 'self' 'wasm-unsafe-eval'");
      await expect.poll(() => page.getByTestId('backend').innerText(), { timeout: 60_000 }).toMatch(/wasm/);
      const threads = Number(/(\d+) threads/.exec(await page.getByTestId('backend').innerText())?.[1]);
      expect(threads).toBeGreaterThan(1);
      await expect.poll(() => page.getByTestId('isolation').innerText()).toContain(`${threads} threads`);

      // The offline copy: every file of the build, with its size and version on the page.
      await expect.poll(() => page.getByTestId('offline').getAttribute('data-state'), { timeout: 90_000 }).toBe('cached');
      mkdirSync(SHOTS, { recursive: true });
      const bytes = Number(await page.getByTestId('offline').getAttribute('data-bytes'));
      expect(bytes).toBeGreaterThan(5 * 1024 * 1024); // scripts, wasm binaries, corpora, checkpoints
      await page.getByTestId('offline').screenshot({ path: path.join(SHOTS, 'offline-status.png') });
      console.log(`offline cache: ${(bytes / 1024 / 1024).toFixed(1)} MB — ${await page.getByTestId('offline-cache').innerText()}`);

      // The bundled fox model's ranked words.
      await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 90_000 }).toBe(true);
      await expect.poll(async () => (await words(page)).length, { timeout: 60_000 }).toBeGreaterThan(2);
      const foxWords = await words(page);
      await page.screenshot({ path: path.join(SHOTS, 'static-host.png'), fullPage: true });

      // Save for Python / Hugging Face: one .zip of a folder with transformers' names; Load from files reads it back.
      const hf = page.getByTestId('checkpoint-export-hf');
      await hf.scrollIntoViewIfNeeded();
      await page.locator('.checkpoints').screenshot({ path: path.join(SHOTS, 'export-ui.png') });
      const dir = mkdtempSync(path.join(tmpdir(), 'folio-hf-'));
      try {
        const downloads: string[] = [];
        page.on('download', (d) => void d.saveAs(path.join(dir, d.suggestedFilename())).then(() => downloads.push(d.suggestedFilename())));
        await hf.click();
        await expect.poll(() => downloads.length, { timeout: 60_000 }).toBe(1);
        // One .zip that unzips to a folder with transformers' names (what the README's Python reads).
        expect(downloads[0]).toMatch(/^folio-.*-hf\.zip$/);
        const zip = new Uint8Array(readFileSync(path.join(dir, downloads[0]!)));
        const names = [...unzipStored(zip).keys()].map((n) => n.slice(n.lastIndexOf('/') + 1)).sort();
        expect(names).toEqual(['README.md', 'config.json', 'folio.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
        const hfFiles = hfFromZip(zip);
        expect(JSON.parse(hfFiles.config)).toMatchObject({ model_type: 'gpt2', activation_function: 'gelu_new' });
        await page.getByTestId('train-start').click(); // new weights: the words change…
        await expect.poll(() => stepOf(page), { timeout: 90_000 }).toBe(20);
        await page.getByTestId('checkpoint-file').setInputFiles(path.join(dir, downloads[0]!));
        await page.getByTestId('confirm').click(); // replace the 20 steps trained here
        await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBe(600); // …and the exported model comes back
        await expect.poll(() => words(page), { timeout: 60_000 }).toEqual(foxWords);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }

      // A new build published: its sw.js differs, so the next online visit installs it, which
      // replaces the offline copy (one cache, the new version).
      const version = await page.getByTestId('offline').getAttribute('data-version');
      expect(version).toMatch(/^[0-9a-f]{12}$/);
      const sw = path.join(outDir, 'sw.js');
      writeFileSync(sw, readFileSync(sw, 'utf8').replace(`const VERSION = '${version}'`, "const VERSION = 'newbuild0001'"));
      await page.reload();
      await expect.poll(() => page.getByTestId('offline').getAttribute('data-version'), { timeout: 90_000 }).toBe('newbuild0001');
      // (The page hears of the new worker as it activates; the old copy goes while it does.)
      await expect
        .poll(() => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('folio:'))), { timeout: 30_000 })
        .toEqual([expect.stringMatching(/:newbuild0001$/)]);

      // Offline: the reload comes from the cache, isolated, and the page still predicts and trains.
      // The context offline, and the host down too: Chromium's offline emulation does not
      // cover its own update check of sw.js, which would otherwise still reach the host.
      await browser!.setOffline(true);
      host!.down.now = true;
      const served = host!.requests.length;
      await page.reload();
      await expect.poll(() => isolated(page), { timeout: 60_000 }).toBe(true);
      await expect.poll(() => words(page), { timeout: 90_000 }).toEqual(foxWords); // the bundled fox model, from the cache
      await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 90_000 }).toBe(true);
      await page.screenshot({ path: path.join(SHOTS, 'offline-fox.png') });
      await page.getByTestId('train-start').click();
      await expect.poll(() => stepOf(page), { timeout: 90_000 }).toBe(20); // the URL's steps=20, kept offline too
      expect(host!.requests.slice(served).filter((p) => p !== '/folio/sw.js')).toEqual([]); // the page asked the host for nothing
      await page.screenshot({ path: path.join(SHOTS, 'offline.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser!.setOffline(false);
      if (host) host.down.now = false;
      await page.close();
    }
  }, 400_000);
});
