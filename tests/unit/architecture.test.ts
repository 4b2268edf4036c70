import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers';

/** The engine must run in Node, in a worker and on any backend: no UI imports, no DOM. */
const CORE = ['model', 'train', 'tokenizer', 'data', 'predict', 'checkpoint'];
const FORBIDDEN = /from\s+['"](react|react-dom|zustand|recharts)(\/[^'"]*)?['"]|\b(document|window)\./;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  it.each(CORE)('src/%s imports no React, zustand, recharts or DOM globals', (dir) => {
    const found = files(path.join(root, 'src', dir));
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      const src = readFileSync(f, 'utf8');
      expect(src.match(FORBIDDEN)?.[0], f).toBeUndefined();
      expect(src.includes("from 'node:"), `${f} imports a Node built-in`).toBe(false);
    }
  });
});
