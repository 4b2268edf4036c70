/**
 * Global setup of the page-test projects (vite.config.ts): the production build, made once a
 * run into a temporary folder, given to every page test file (`inject('folioDist')`, served by
 * chromium.ts `startPreview`; host.test.ts copies it, as it rewrites sw.js), and removed after
 * the run. Each file used to build the same page again (~20 s of both cores, eighteen times).
 * Not a test; the build is the one `npm run build` makes (productionBuild.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildProduction } from './productionBuild';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of this run's production build. */
    folioDist: string;
  }
}

/** Both page projects list this setup: the first to run builds, the second is given the same folder. */
const BUILD = Symbol.for('folio.sharedBuild');
type Holder = { [BUILD]?: Promise<string> };

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const holder = globalThis as Holder;
  const first = holder[BUILD] === undefined;
  holder[BUILD] ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'folio-dist-'));
    try {
      await buildProduction(dir);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    return dir;
  })();
  const dir = await holder[BUILD];
  project.provide('folioDist', dir);
  if (!first) return undefined;
  // Watch mode: a rerun serves the page as it is now, as when each file built its own.
  project.onTestsRerun(() => buildProduction(dir));
  return () => {
    rmSync(dir, { recursive: true, force: true });
    delete holder[BUILD];
  };
}
