/**
 * Global setup of the unit project (vite.config.ts): one temporary folder for the run, given to
 * the test files (`inject('runFolder')`) for fixtures that several files would otherwise each
 * build again (tuneDesign.ts `designBase`), and removed after the run. Not a test; it makes
 * nothing but the empty folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder that lasts the run, shared by the unit test files. */
    runFolder: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'folio-run-'));
  project.provide('runFolder', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
