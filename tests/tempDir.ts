/** Temporary folders for a test file, removed after its tests, also when they fail. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A fresh folder under the system temp dir, named `folio-<name>-…`; call at a file's top level or in a describe. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `folio-${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
