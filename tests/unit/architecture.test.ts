import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers';

/** The engine must run in Node, in a worker and on any backend: no UI imports, no DOM. */
const CORE = ['util', 'i18n', 'model', 'train', 'tokenizer', 'data', 'predict', 'checkpoint', 'worker'];
const FORBIDDEN = /from\s+['"](react|react-dom|zustand|recharts)(\/[^'"]*)?['"]|\b(document|window)\./;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * The layers of src/, bottom up. A file may import from its own folder and from folders
 * below it, never above: the engine knows nothing of the worker, the worker nothing of the
 * page. (Top-level files: config.ts is `config`; main.tsx is `ui`.) `i18n` (every
 * sentence, both languages) sits low so that every layer can raise a notice.
 */
const LAYERS = ['util', 'i18n', 'config', 'tokenizer', 'data', 'kernels', 'model', 'train', 'predict', 'checkpoint', 'worker', 'cli', 'state', 'ui'];

function layerOf(file: string): string {
  const rel = path.relative(path.join(root, 'src'), file).split(path.sep);
  if (rel.length > 1) return rel[0]!;
  return { 'config.ts': 'config', 'main.tsx': 'ui' }[rel[0]!] ?? rel[0]!;
}

/** Every relative import of a source file (static, type-only, re-exports and dynamic), resolved to a file in src/. */
function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const specs = [...src.matchAll(/(?:^(?:import|export)\s[^'";]*?from\s+|\bimport\s*\(\s*)['"](\.[^'"]+)['"]/gm)].map((m) => m[1]!.replace(/\?.*$/, ''));
  return specs.flatMap((spec) => {
    const base = path.resolve(path.dirname(file), spec);
    const hit = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((c) => {
      try {
        return statSync(c).isFile() && /\.tsx?$/.test(c);
      } catch {
        return false;
      }
    });
    return hit && hit.startsWith(path.join(root, 'src')) ? [hit] : [];
  });
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(p) ? [p] : [];
  });
}

describe('layers', () => {
  const all = sources(path.join(root, 'src'));
  const graph = new Map(all.map((f) => [f, importsOf(f)]));

  it('every folder of src/ has a declared layer', () => {
    expect(all.length).toBeGreaterThan(40);
    expect([...new Set(all.map(layerOf))].filter((l) => !LAYERS.includes(l))).toEqual([]);
  });

  it('every relative import in src/ goes down the layer order (or stays in its folder)', () => {
    const upward: string[] = [];
    for (const [file, deps] of graph) {
      for (const dep of deps) {
        const [from, to] = [LAYERS.indexOf(layerOf(file)), LAYERS.indexOf(layerOf(dep))];
        if (to > from) upward.push(`${path.relative(root, file)} → ${path.relative(root, dep)} (${LAYERS[from]} imports ${LAYERS[to]})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('no import cycle, between files or folders', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const d of graph.get(f) ?? []) {
        if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d].map((x) => path.relative(root, x)).join(' → '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of all) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});

/**
 * The page's rooms: the shell (app/), what several panels share (shared/), and one folder
 * per panel or page-wide feature, holding the files only it uses. Nothing lies loose in src/ui/.
 */
const UI_FOLDERS = ['app', 'shared', 'nextWords', 'training', 'corpus', 'model', 'generate', 'fineTune', 'attention', 'inside', 'race', 'tour', 'offline'];

describe('the page\'s folders', () => {
  it('no file in src/ui/ outside a panel folder except the app shell', () => {
    const ui = path.join(root, 'src', 'ui');
    const loose = readdirSync(ui).filter((f) => !(statSync(path.join(ui, f)).isDirectory() && UI_FOLDERS.includes(f)));
    expect(loose).toEqual([]);
  });
});

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
