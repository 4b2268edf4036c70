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

  it('the page never loads tfjs itself: all model work is in the worker (keeps the first paint light)', () => {
    // Follow the static, non-type imports from the page's entry point.
    const seen = new Set<string>();
    const offenders: string[] = [];
    const resolve = (from: string, spec: string): string | undefined => {
      const base = path.resolve(path.dirname(from), spec.replace(/\?.*$/, ''));
      return [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((c) => {
        try {
          return statSync(c).isFile();
        } catch {
          return false;
        }
      });
    };
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/^(?:import|export)\s+(?!type\b)[^'";]*?from\s+['"]([^'"]+)['"]/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('@tensorflow')) offenders.push(path.relative(root, file));
        else if (spec.startsWith('.') && !spec.includes('?')) {
          const next = resolve(file, spec);
          if (next) visit(next);
        }
      }
    };
    visit(path.join(root, 'src', 'main.tsx'));
    expect(seen.size).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });

  it('no eval, no new Function, and nothing rendered as HTML (corpus and checkpoint text stay text)', () => {
    const all = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const p = path.join(dir, f);
        return statSync(p).isDirectory() ? all(p) : /\.tsx?$/.test(p) ? [p] : [];
      });
    const found = all(path.join(root, 'src'));
    expect(found.length).toBeGreaterThan(40);
    for (const f of found) {
      const src = readFileSync(f, 'utf8');
      expect(src.match(/\beval\s*\(|new\s+Function\b|dangerouslySetInnerHTML|\.(inner|outer)HTML\b|insertAdjacentHTML|document\.write/)?.[0], f).toBeUndefined();
    }
  });
});
