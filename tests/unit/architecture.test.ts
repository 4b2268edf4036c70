import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
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
const UI_FOLDERS = [
  'app',
  'shared',
  'nextWords',
  'training',
  'corpus',
  'model',
  'generate',
  'fineTune',
  'attention',
  'inside',
  'race',
  'tour',
  'offline',
  'rewind',
  'hub',
];

describe("the page's folders", () => {
  it('no file in src/ui/ outside a panel folder except the app shell', () => {
    const ui = path.join(root, 'src', 'ui');
    // The folder's README (what lives where) is the one file allowed beside the folders.
    const loose = readdirSync(ui).filter((f) => f !== 'README.md' && !(statSync(path.join(ui, f)).isDirectory() && UI_FOLDERS.includes(f)));
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
      expect(
        src.match(/\beval\s*\(|new\s+Function\b|dangerouslySetInnerHTML|\.(inner|outer)HTML\b|insertAdjacentHTML|document\.write/)?.[0],
        f,
      ).toBeUndefined();
    }
  });
});

/**
 * Folio's kernels reach tfjs only through `registerFolioKernels(backend)` (kernels/index.ts),
 * called by the backend set-up: a module of kernels lists its configs as data, and
 * importing it changes nothing. (Registration on import made which kernels a backend had
 * depend on which files happened to be imported, and in what order.)
 */
describe('kernels register nothing on import', () => {
  const kernelsDir = path.join(root, 'src', 'kernels');
  const within = (f: string, dir: string) => f.startsWith(dir + path.sep);
  /** Entry scripts of a worker: the browser runs them for their side effect (a message handler); nothing imports them. */
  const WORKER_ENTRIES = [path.join(kernelsDir, 'threads', 'gemmWorker.ts')];
  const REGISTRY = path.join(kernelsDir, 'index.ts');
  const REGISTER = new Set(['registerKernel', 'registerGradient', 'unregisterKernel']);
  /** Methods that change an array, a Set or a Map in place. */
  const MUTATORS = new Set(['push', 'unshift', 'splice', 'add', 'set', 'delete', 'clear']);
  const rel = (f: string) => path.relative(root, f);

  it('nothing imports kernels/* for its side effects', () => {
    const dirs = ['src', 'tests', 'bench'].map((d) => path.join(root, d)).filter((d) => statSync(d, { throwIfNoEntry: false })?.isDirectory());
    const bare: string[] = [];
    for (const file of dirs.flatMap(sources)) {
      const src = readFileSync(file, 'utf8');
      // `import './x'`, `import {} from './x'`, and a dynamic import whose module is dropped (relative: Folio has no path aliases).
      const specs = [...src.matchAll(/^\s*(?:import\s*(?:\{\s*\}\s*from\s*)?|(?:await\s+)?import\s*\(\s*)['"](\.[^'"]+)['"]\s*\)?\s*;?\s*(?:\/\/.*)?$/gm)].map(
        (m) => m[1]!,
      );
      for (const spec of specs) {
        const target = path.resolve(path.dirname(file), spec);
        if (within(target, kernelsDir) || target === kernelsDir) bare.push(`${rel(file)}: import '${spec}'`);
      }
    }
    expect(bare).toEqual([]);
  });

  it('no module of src/kernels registers a kernel or fills a shared list when imported', () => {
    const found = sources(kernelsDir);
    expect(found.length).toBeGreaterThan(20);
    const offences: string[] = [];
    for (const file of found) {
      const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const where = (n: ts.Node) => `${rel(file)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
      const exported = (n: ts.Node) => ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      // This module's shared bindings: what it exports, and what it imports from others.
      const shared = new Set<string>();
      for (const st of sf.statements) {
        if (ts.isVariableStatement(st) && exported(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) shared.add(d.name.text);
        if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && exported(st) && st.name) shared.add(st.name.text);
        if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause))
          for (const e of st.exportClause.elements) shared.add((e.propertyName ?? e.name).text);
        if (ts.isImportDeclaration(st) && st.importClause) {
          const c = st.importClause;
          if (c.name) shared.add(c.name.text);
          if (c.namedBindings) {
            if (ts.isNamespaceImport(c.namedBindings)) shared.add(c.namedBindings.name.text);
            else for (const e of c.namedBindings.elements) shared.add(e.name.text);
          }
        }
        // Code that runs on import: only declarations may sit at the top level.
        const declaration =
          ts.isImportDeclaration(st) ||
          ts.isExportDeclaration(st) ||
          ts.isVariableStatement(st) ||
          ts.isFunctionDeclaration(st) ||
          ts.isClassDeclaration(st) ||
          ts.isInterfaceDeclaration(st) ||
          ts.isTypeAliasDeclaration(st) ||
          ts.isEnumDeclaration(st);
        if (!declaration && !WORKER_ENTRIES.includes(file)) offences.push(`${where(st)} runs a statement on import: ${st.getText(sf).split('\n')[0]}`);
      }
      const visit = (n: ts.Node, inFunction: boolean) => {
        if (ts.isCallExpression(n)) {
          const callee = n.expression;
          const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
          if (REGISTER.has(name) && (file !== REGISTRY || !inFunction))
            offences.push(`${where(n)} calls ${name} (only registerFolioKernels may, in kernels/index.ts)`);
          if (ts.isPropertyAccessExpression(callee) && MUTATORS.has(name)) {
            let receiver: ts.Expression = callee.expression;
            while (ts.isPropertyAccessExpression(receiver) || ts.isElementAccessExpression(receiver) || ts.isCallExpression(receiver))
              receiver = receiver.expression;
            const onShared = ts.isIdentifier(receiver) && shared.has(receiver.text);
            if (!inFunction || onShared)
              offences.push(`${where(n)} changes ${receiver.getText(sf)} (${name}) ${inFunction ? 'shared with other modules' : 'on import'}`);
          }
        }
        // Bodies of functions run when called; a class's instance members when it is constructed.
        const deferred = ts.isFunctionLike(n) || (ts.isPropertyDeclaration(n) && !ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword));
        ts.forEachChild(n, (c) => visit(c, inFunction || deferred));
      };
      visit(sf, false);
    }
    expect([...new Set(offences)]).toEqual([]);
  });
});
