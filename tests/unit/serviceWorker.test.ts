/**
 * The build step that writes dist/sw.js (vite.config.ts `serviceWorker`): every file of the
 * build listed relative to sw.js, and a version that changes with any file's content, so
 * a new build replaces the offline copy. (The worker itself runs in tests/browser/host.test.ts.)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceWorker } from '../../vite.config';
import { tempDir } from '../tempDir';

describe('dist/sw.js', () => {
  const dir = tempDir('sw');
  const write = () => {
    const plugin = serviceWorker();
    const hook = plugin.writeBundle as unknown as (o: { dir: string }, b: Record<string, unknown>) => void;
    hook({ dir }, { 'index.html': {}, 'assets/app-1.js': {}, 'assets/app-1.js.map': {} });
    const source = readFileSync(path.join(dir, 'sw.js'), 'utf8');
    return { source, version: /const VERSION = '([0-9a-f]{12})'/.exec(source)?.[1], files: JSON.parse(/const FILES = (\[.*\]);/.exec(source)![1]!) };
  };

  it('lists the build files relative to itself and versions them by content', () => {
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
    mkdirSync(path.join(dir, 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'assets/app-1.js'), 'console.log(1)');
    const a = write();
    expect(a.files).toEqual(['assets/app-1.js', 'index.html']); // no source maps, no absolute paths
    expect(a.version).toMatch(/^[0-9a-f]{12}$/);
    expect(() => new Function(a.source)).not.toThrow(); // plain script syntax, no placeholder left
    expect(a.source).not.toContain('__FOLIO_');
    expect(write().version).toBe(a.version); // the same build, the same version
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><p>new build');
    expect(write().version).not.toBe(a.version); // a new build: a new cache
  });
});
