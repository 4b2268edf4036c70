/**
 * `vite build` of the page, as `npm run build` makes it: the one build every page test serves
 * (sharedBuild.ts makes it once a run) and the benchmarks' own. No test API here: the
 * global setup imports it in vitest's main process.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `vite build` of the page into `outDir`. Vitest sets NODE_ENV=test, and Vite builds with the
 * NODE_ENV it finds: without this the tests would drive React's development build (several
 * times slower, with checks a visitor never runs).
 */
export async function buildProduction(outDir: string): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
