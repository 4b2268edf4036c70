/**
 * Real-browser test plumbing: the Chromium that findBrowser.ts picks (a system one, or the
 * one shipped inside an npm package; never one downloaded at run time), driven by
 * playwright-core, and Folio served by Vite on a free local port.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { root } from '../helpers';
import { findBrowser } from './findBrowser';
import { buildProduction } from './productionBuild';

/**
 * Headless Chromium with a fresh profile, removed again when the context closes, service workers
 * blocked unless asked for. `webgpu`
 * adds the flags that expose a (software, SwiftShader) WebGPU adapter; WebGL runs on
 * SwiftShader either way, so the page behaves the same on machines without a GPU.
 */
export async function launchChromium(opts: { webgpu: boolean; headed?: boolean; serviceWorkers?: 'allow' | 'block' }): Promise<BrowserContext> {
  const browser = await findBrowser();
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'folio-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: browser.path,
      headless: !opts.headed,
      args: [
        ...(opts.headed ? [] : ['--headless']),
        '--no-sandbox',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
        ...(opts.webgpu ? ['--enable-unsafe-webgpu'] : []),
      ],
      viewport: { width: 1280, height: 800 },
      // Folio's service worker (offline copy, isolation on static hosts) would answer the
      // page's requests itself, out of reach of page.route: blocked unless a test is about it (host.test.ts).
      serviceWorkers: opts.serviceWorkers ?? 'block',
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw new Error(`${browser.version} at ${browser.path} did not start: ${(e as Error).message}`, { cause: e });
  }
  // Chromium's helper processes (the network service writing its disk cache) can outlive the
  // main process by a moment, so removing the profile as soon as the context closes races them
  // (ENOTEMPTY on Default/Cache/Cache_Data once made a green run fail CI). close() therefore
  // waits for the removal, retrying while the folder still fills; the 'close' event covers a
  // browser that crashed or was closed from elsewhere, and never throws from an event handler.
  // The cache also writes its index at shutdown and creates missing parents to do so, so a
  // profile removed too early can come back: remove, wait a moment, and look again.
  const removeProfile = async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      await rm(userDataDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
      await new Promise((done) => setTimeout(done, 300));
      if (!existsSync(userDataDir)) return;
    }
    throw new Error('it kept coming back');
  };
  let removal: Promise<void> | undefined;
  const removeOnce = () =>
    (removal ??= removeProfile().catch((e: Error) => {
      console.warn(`[folio] could not remove the browser profile ${userDataDir}: ${e.message}`);
    }));
  context.on('close', () => void removeOnce());
  const close = context.close.bind(context);
  context.close = async (options) => {
    try {
      await close(options);
    } finally {
      await removeOnce();
    }
  };
  return context;
}

export async function startServer(): Promise<{ url: string; server: ViteDevServer }> {
  const server = await createServer({
    root,
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('Vite did not report a local URL');
  return { url, server };
}

/**
 * For a file of test-page tests: serves the repository with Vite's dev server (test pages
 * such as tests/browser/harness.html included) and starts Chromium once (beforeAll), and
 * closes both afterwards. `url()` and `browser()` are ready inside tests.
 */
export function devPages(opts: { webgpu: boolean }): { url: () => string; browser: () => BrowserContext } {
  let server: ViteDevServer | undefined;
  let url = '';
  let browser: BrowserContext | undefined;
  beforeAll(async () => {
    ({ server, url } = await startServer());
    browser = await launchChromium(opts);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return { url: () => url, browser: () => browser! };
}

/**
 * Serve the production build (what visitors get: minified, no dev React): `dist` when given
 * (page tests pass the run's shared build, `inject('folioDist')`, and leave it be), else a
 * fresh build in a temporary folder, `outDir`, that the caller removes.
 */
export async function startPreview(dist?: string): Promise<{ url: string; server: PreviewServer; outDir: string }> {
  const outDir = dist ?? mkdtempSync(path.join(tmpdir(), 'folio-dist-'));
  const configFile = path.join(root, 'vite.config.ts');
  if (!dist) await buildProduction(outDir);
  const server = await preview({ root, configFile, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('Vite preview did not report a local URL');
  return { url, server, outDir };
}

/**
 * For a file of page tests: serves the run's production build (sharedBuild.ts) and starts Chromium
 * once (beforeAll), and gives `withPage`, which opens the page with URL parameters on
 * a 1280×800 viewport with no remembered settings, runs `body`, fails on any uncaught
 * page error, and always closes the page.
 */
export function previewPages(): { withPage: (query: string, body: (page: Page) => Promise<void>) => Promise<void>; url: () => string } {
  let server: PreviewServer | undefined;
  let url = '';
  let browser: BrowserContext | undefined;
  beforeAll(async () => {
    ({ server, url } = await startPreview(inject('folioDist'))); // the production build, as visitors get it
    browser = await launchChromium({ webgpu: false }); // no --enable-unsafe-webgpu: no adapter
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    url: () => url,
    async withPage(query, body) {
      const page = await browser!.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await page.goto(`${url}no-such-page`); // same origin, no app: clear what earlier tests stored
        await page.evaluate(() => localStorage.clear());
        await page.goto(`${url}?${query}`);
        await body(page);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    },
  };
}
