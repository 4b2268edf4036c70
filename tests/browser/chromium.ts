/**
 * Real-browser test plumbing: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), and Folio served by Vite's dev server on a free local port.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build, createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect } from 'vitest';
import { root } from '../helpers';

export function chromiumPath(): string {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(p)) {
    throw new Error(
      `Chromium not found at ${p}. The browser tests need it: install it with "apt-get update && apt-get install -y chromium" ` +
        `(Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
    );
  }
  return p;
}

/** Headless Chromium with a fresh profile. `webgpu` adds the flag that exposes a (software) adapter. */
export async function launchChromium(opts: { webgpu: boolean; headed?: boolean }): Promise<BrowserContext> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'folio-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: !opts.headed,
    args: [
      ...(opts.headed ? [] : ['--headless']),
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(opts.webgpu ? ['--enable-unsafe-webgpu'] : []),
    ],
    viewport: { width: 1280, height: 800 },
  });
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

/** Build the app for production and serve it (what visitors get: minified, no dev React). */
export async function startPreview(): Promise<{ url: string; server: PreviewServer }> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'folio-dist-'));
  const configFile = path.join(root, 'vite.config.ts');
  await build({ root, configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await preview({ root, configFile, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('Vite preview did not report a local URL');
  return { url, server };
}

/**
 * For a file of page tests: builds and serves the production page and starts Chromium
 * once (beforeAll), and gives `withPage`, which opens the page with URL parameters on
 * a 1280×800 viewport with no remembered settings, runs `body`, fails on any uncaught
 * page error, and always closes the page.
 */
export function previewPages(): { withPage: (query: string, body: (page: Page) => Promise<void>) => Promise<void>; url: () => string } {
  let server: PreviewServer | undefined;
  let url = '';
  let browser: BrowserContext | undefined;
  beforeAll(async () => {
    ({ server, url } = await startPreview()); // the production build, as visitors get it
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
