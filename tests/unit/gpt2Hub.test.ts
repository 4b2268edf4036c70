/**
 * A GPT-2-family model from a served Hub layout, without the internet: the test writes a
 * GPT-2-layout folder (GPT-2's real vocabulary, small random weights, the Hub's names) and
 * serves it under `/{repo}/resolve/main/{file}`. Folio reads it in F32, F16 and BF16, with
 * tokenizer.json or vocab.json + merges.txt, and its next-token probabilities are the numpy
 * GPT-2's (tests/python/check_gpt2_numpy.py). The Hub client says the size before it
 * downloads, reports progress, can be cancelled (nothing half-written is kept), and a second
 * load needs no network. The CLI (`predict --hub` and `--checkpoint`) prints the ids and the
 * ranked words, and reads the same cache folder.
 */
import * as tf from '@tensorflow/tfjs';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt2Model, readGpt2, type Gpt2Files } from '../../src/checkpoint/gpt2';
import { downloadHub, planHub, type HubOptions } from '../../src/checkpoint/hub';
import { folderCache } from '../../src/cli/hubCache';
import { disposeGPT, forward } from '../../src/model/gpt';
import { predictNext } from '../../src/predict/predictor';
import { FolioError } from '../../src/i18n';
import { backend, root } from '../helpers';
import { tempDir } from '../tempDir';
import { serveHub, writeGpt2Folder, type FixtureOptions } from '../gpt2Fixture';

beforeAll(() => backend('wasm'));
const tmp = tempDir('gpt2hub');
const FOX = 'The quick brown fox jumps over the lazy';
const FOX_IDS = [464, 2068, 7586, 21831, 18045, 625, 262, 16931]; // GPT-2's ids for the fox sentence
const python = process.env.FOLIO_PYTHON ?? 'python3';
const hasNumpy = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

function folder(name: string, o: FixtureOptions = {}): string {
  const dir = path.join(tmp, name);
  writeGpt2Folder(dir, o);
  return dir;
}

function filesOf(dir: string): Gpt2Files {
  const read = (f: string) => {
    try {
      return readFileSync(path.join(dir, f), 'utf8');
    } catch {
      return undefined;
    }
  };
  const b = readFileSync(path.join(dir, 'model.safetensors'));
  const [tokenizer, vocab, merges] = [read('tokenizer.json'), read('vocab.json'), read('merges.txt')];
  return {
    config: read('config.json')!,
    safetensors: new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
    ...(tokenizer ? { tokenizer } : {}),
    ...(vocab ? { vocab } : {}),
    ...(merges ? { merges } : {}),
  };
}

/** The numpy GPT-2's top next tokens after `ids`, from the folder's files. */
function numpyTop(dir: string, ids: number[]): { id: number; p: number }[] {
  const r = spawnSync(python, [path.join(root, 'tests/python/check_gpt2_numpy.py'), dir, '--ids', ids.join(',')], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { id: number; p: number }[];
}

const lastProbs = (dir: string) => {
  const { model, tokenizer } = gpt2Model(readGpt2(filesOf(dir)));
  const ids = tokenizer.encode(FOX);
  const p = tf.tidy(() => tf.softmax(forward(model, tf.tensor2d([ids], undefined, 'int32'), { lastOnly: true }).logits.reshape([-1])).dataSync());
  disposeGPT(model);
  return { ids, p: Float32Array.from(p) };
};

describe('a GPT-2-layout folder', () => {
  it.each(['F32', 'F16', 'BF16'] as const)('%s weights: the numpy GPT-2 gives the same next-token probabilities', (dtype) => {
    const dir = folder(`fox-${dtype}`, { dtype, seed: 3 });
    const { ids, p } = lastProbs(dir);
    expect(ids).toEqual(FOX_IDS);
    if (!hasNumpy) return;
    for (const { id, p: q } of numpyTop(dir, ids)) expect(Math.abs(p[id]! - q)).toBeLessThan(1e-5);
  });

  it('reads vocab.json + merges.txt and the `transformer.` names of Folio’s export the same', () => {
    const a = lastProbs(folder('json', { seed: 4 }));
    const b = lastProbs(folder('vocab', { seed: 4, tokenizer: 'vocab', prefix: true }));
    expect(b.ids).toEqual(a.ids);
    expect(Array.from(b.p.slice(0, 200))).toEqual(Array.from(a.p.slice(0, 200)));
  });

  it('ranks next words with the KV cache: one position per branch after the prompt', async () => {
    const { model, tokenizer } = gpt2Model(readGpt2(filesOf(folder('words', { seed: 5 }))));
    const r = await predictNext(model, tokenizer, FOX, { topTokens: 5, beam: { topWords: 5 } });
    expect(r.words.length).toBe(5);
    expect(r.words.reduce((s, w) => s + w.p, 0) + r.otherWords + r.uncovered).toBeCloseTo(1, 4);
    expect(r.tokens[0]!.token).toBe(tokenizer.tokenText(r.tokens[0]!.id));
    disposeGPT(model);
  });
});

describe('the Hub client', () => {
  const repo = 'test-org/tiny-gpt2';
  const hubFolder = folder('hub', { seed: 6 });
  const options = (cacheDir: string, url: string, signal?: AbortSignal): HubOptions => ({
    fetch: globalThis.fetch,
    cache: folderCache(cacheDir),
    endpoint: url,
    ...(signal ? { signal } : {}),
  });

  it('says the size before downloading, shows progress, keeps the files, then needs no network', async () => {
    const server = await serveHub({ [repo]: hubFolder });
    const cacheDir = path.join(tmp, 'cache-1');
    try {
      const plan = await planHub(repo, options(cacheDir, server.url));
      const size = (f: string) => readFileSync(path.join(hubFolder, f)).length;
      expect(plan.files.map((f) => [f.name, f.bytes, f.cached])).toEqual([
        ['config.json', size('config.json'), false],
        ['tokenizer.json', size('tokenizer.json'), false],
        ['model.safetensors', size('model.safetensors'), false],
      ]);
      expect(plan.downloadBytes).toBe(plan.totalBytes);
      expect(server.requests.every((r) => r.startsWith('HEAD'))).toBe(true); // nothing downloaded yet
      const seen: number[] = [];
      const files = await downloadHub(plan, options(cacheDir, server.url), (done, total) => {
        expect(total).toBe(plan.downloadBytes);
        seen.push(done);
      });
      expect(seen.at(-1)).toBe(plan.downloadBytes);
      expect(server.requests).toContain(`GET /cdn/${repo}/model.safetensors`); // followed the redirect
      expect(readGpt2(files).config.nLayer).toBe(2);
    } finally {
      await server.close();
    }
    // The server is gone: the cache holds everything.
    const again = await planHub(repo, options(cacheDir, 'http://127.0.0.1:9'));
    expect(again.downloadBytes).toBe(0);
    expect(readGpt2(await downloadHub(again, options(cacheDir, 'http://127.0.0.1:9'))).tokenizer.vocab.length).toBe(50257);
  });

  it('cancelled mid-download: a clear notice, and no half file kept', async () => {
    const server = await serveHub({ [repo]: hubFolder });
    const cacheDir = path.join(tmp, 'cache-2');
    try {
      const abort = new AbortController();
      const o = options(cacheDir, server.url, abort.signal);
      const plan = await planHub(repo, o);
      const e = await downloadHub(plan, o, (done) => done > 1000 && abort.abort()).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(FolioError);
      expect((e as FolioError).notice.code).toBe('hubCancelled');
      expect(await folderCache(cacheDir).size(repo, 'model.safetensors')).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('a repo without the file, a bad id, no network: each a sentence', async () => {
    const server = await serveHub({ [repo]: hubFolder });
    const o = options(path.join(tmp, 'cache-3'), server.url);
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: FolioError) => e.notice.code,
      );
    try {
      expect(await code(planHub('test-org/missing', o))).toBe('hubNotFound');
      expect(await code(planHub('not a repo', o))).toBe('hubRepoInvalid');
      expect(await code(planHub('../etc', o))).toBe('hubRepoInvalid');
    } finally {
      await server.close();
    }
    expect(await code(planHub(repo, options(path.join(tmp, 'cache-4'), 'http://127.0.0.1:9')))).toBe('hubOffline');
  });
});

/** `npm run predict` as a child process (async: the test's own server must keep answering). */
function predictCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', path.join(root, 'src/cli/predict.ts'), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('close', (code) => done({ code, out, err }));
  });
}

describe('npm run predict -- --hub REPO / --checkpoint DIR', () => {
  const repo = 'test-org/cli-gpt2';
  const dir = folder('cli', { seed: 7 });

  it('prints the prompt’s ids and the ranked words; a second run reads the cache folder offline; --checkpoint agrees', async () => {
    const cache = path.join(tmp, 'cli-cache');
    const server = await serveHub({ [repo]: dir });
    type Out = { ids: number[]; tokens: { id: number; p: number }[]; words: { word: string; p: number }[] };
    let first: Out;
    try {
      const r = await predictCli(['--hub', repo, '--prompt', FOX, '--json', '--backend', 'wasm', '--top', '5'], {
        FOLIO_HUB_ENDPOINT: server.url,
        HF_HUB_CACHE: cache,
      });
      expect(r.code, r.err).toBe(0);
      first = JSON.parse(r.out) as Out;
    } finally {
      await server.close();
    }
    expect(first.ids).toEqual(FOX_IDS);
    expect(first.words).toHaveLength(5);
    if (hasNumpy)
      for (const [i, { id, p }] of numpyTop(dir, FOX_IDS).slice(0, 5).entries()) expect(first.tokens[i]).toMatchObject({ id, p: expect.closeTo(p, 5) });
    const offline = await predictCli(['--hub', repo, '--prompt', FOX, '--json', '--backend', 'wasm', '--top', '5'], {
      HF_HUB_CACHE: cache,
      HF_HUB_OFFLINE: '1',
    });
    expect(offline.code, offline.err).toBe(0);
    expect(JSON.parse(offline.out)).toEqual(first);
    const local = await predictCli(['--checkpoint', dir, '--prompt', FOX, '--backend', 'wasm', '--top', '5'], {});
    expect(JSON.parse(local.out)).toEqual(first);
    rmSync(cache, { recursive: true, force: true });
    const none = await predictCli(['--hub', repo, '--prompt', FOX, '--backend', 'wasm'], { HF_HUB_CACHE: cache, HF_HUB_OFFLINE: '1' });
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^error: The Hub cannot be reached, and test-org\/cli-gpt2 is not kept/);
  });
});
