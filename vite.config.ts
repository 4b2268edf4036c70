import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { LongestFirst } from './tests/longestFirst';

// Cross-origin isolation (COOP + COEP) lets the wasm backend use threads
// (SharedArrayBuffer); without it wasm silently runs single-threaded.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The Hugging Face Hub's hosts, the only remote place the page may fetch from (a pretrained
 * GPT-2, src/checkpoint/hub.ts): huggingface.co answers `/{repo}/resolve/main/{file}`, and
 * redirects large files to its CDN, whose hosts are all under hf.co (cdn-lfs.hf.co,
 * cdn-lfs-us-1.hf.co, cas-bridge.xethub.hf.co, us.aws.cdn.hf.co, …).
 */
export const HUB_HOSTS = ['https://huggingface.co', 'https://*.hf.co'];

/**
 * The built page's Content-Security-Policy: scripts only from the page's own origin (plus
 * compiling WebAssembly, which the wasm backend needs), no eval, no plugins, no remote
 * anything but the Hub's hosts to fetch from. Styles allow inline attributes because React and recharts set `style`.
 * Only the build gets it: Vite's dev server injects inline scripts (HMR, React refresh).
 */
/** Page tests that run alone (see the test projects below). */
const SOLO_BROWSER_TESTS = ['tests/browser/page.test.ts', 'tests/browser/stamina.test.ts'];
/** The page projects' one production build a run, which every page test file serves (tests/browser/sharedBuild.ts). */
const SHARED_BUILD = ['tests/browser/sharedBuild.ts'];

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  `connect-src 'self' ${HUB_HOSTS.join(' ')}`,
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const csp: Plugin = {
  name: 'folio-csp',
  apply: 'build',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
};

/**
 * dist/sw.js, Folio's service worker (the template is src/ui/offline/sw.template.js): cross-origin isolation
 * on hosts that cannot send the headers, and the offline copy. Filled in with this build's
 * version (a hash of every emitted file's name and content: any change to the build is a
 * new version, which replaces the old cache) and the files to keep offline (all of them,
 * relative to sw.js, so the page works under any path).
 */
export function serviceWorker(template = fileURLToPath(new URL('./src/ui/offline/sw.template.js', import.meta.url))): Plugin {
  return {
    name: 'folio-service-worker',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir!;
      const files = Object.keys(bundle)
        .filter((f) => f !== 'sw.js' && !f.endsWith('.map'))
        .sort();
      const hash = createHash('sha256');
      for (const f of files) hash.update(f).update(readFileSync(path.join(dir, f)));
      const version = hash.digest('hex').slice(0, 12);
      const source = readFileSync(template, 'utf8').replace('__FOLIO_VERSION__', version).replace('__FOLIO_FILES__', JSON.stringify(files));
      writeFileSync(path.join(dir, 'sw.js'), source);
    },
  };
}

export default defineConfig({
  // Relative asset paths: dist/ works from any folder of any static host (/, /folio/, …).
  base: './',
  // csp and serviceWorker shape the build only.
  plugins: [react(), csp, serviceWorker()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // The JSON report is what .ci/run counts ("N passed, N failed").
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
    // Within each project, the longest files first (also in a fresh clone, where vitest has no durations yet).
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          // Learning tests are CPU-bound; two forks keep both cores busy without oversubscribing.
          pool: 'forks',
          // Relaxed SIMD (fused multiply-add in Folio's matMul kernel) is on by default in
          // Chromium; Node 20 needs the flag. Tests run the kernels the page runs.
          execArgv: ['--experimental-wasm-relaxed-simd'],
          // A folder for the run, for fixtures the files share instead of each building them (tests/runFolder.ts).
          globalSetup: ['tests/runFolder.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          exclude: SOLO_BROWSER_TESTS,
          globalSetup: SHARED_BUILD,
          // After the unit tests, two files at a time: most of a page test is waiting for the
          // page (loads, polls, a worker that trains), so two share the cores well.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser-solo',
          include: SOLO_BROWSER_TESTS,
          globalSetup: SHARED_BUILD,
          // Last, one file at a time: these measure the page's main thread and a long run's
          // pace, which must not compete with another page or with training processes.
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
