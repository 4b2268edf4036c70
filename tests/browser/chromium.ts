/**
 * Real-browser test plumbing: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), and Folio served by Vite's dev server on a free local port.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { build, createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
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
