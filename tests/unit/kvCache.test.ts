/**
 * The KV cache (predict/kvCache.ts, forward's `past`) must not change an answer: cached
 * and uncached ranked words, token probabilities, tracked word and generated text agree
 * to 1e-5, on the cpu and wasm backends, for prompts that fit the context and prompts
 * cropped to it. And it must actually save work (positions computed).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGPT, disposeGPT, forward, type GPT } from '../../src/model/gpt';
import { appendPast, mm } from '../../src/model/ops';
import { CachedLogits } from '../../src/predict/kvCache';
import { Rng } from '../../src/util/rng';
import { generate, nextTokenLogits, predictNext, type Prediction } from '../../src/predict/predictor';
import { buildTokenizer } from '../../src/tokenizer';
import { Trainer } from '../../src/train/trainer';
import { backend, tinyConfig, tinyTrain } from '../helpers';

afterAll(() => backend('cpu'));

const text = 'The quick brown fox jumps over the lazy dog. The lazy dog sleeps. The fox runs.\n'.repeat(20);
const tok = buildTokenizer(text, { kind: 'char', vocabSize: 0 });
const sample = { temperature: 1, topK: 0, topP: 1, greedy: false, maxTokens: 30, seed: 9 };

function expectSame(a: Prediction, b: Prediction) {
  expect(a.words.map((w) => w.word + (w.continues ? '+' : ''))).toEqual(b.words.map((w) => w.word + (w.continues ? '+' : '')));
  a.words.forEach((w, i) => expect(Math.abs(w.p - b.words[i]!.p)).toBeLessThan(1e-5));
  expect(Math.abs(a.otherWords - b.otherWords)).toBeLessThan(1e-5);
  expect(Math.abs(a.uncovered - b.uncovered)).toBeLessThan(1e-5);
  expect(a.tokens.map((t) => t.id)).toEqual(b.tokens.map((t) => t.id));
  a.tokens.forEach((t, i) => expect(Math.abs(t.p - b.tokens[i]!.p)).toBeLessThan(1e-5));
  expect(Math.abs(a.tracked!.p - b.tracked!.p)).toBeLessThan(1e-5);
}

describe.each(['cpu', 'wasm'] as const)('KV cache on %s', (name) => {
  let model: GPT;
  beforeAll(async () => {
    await backend(name);
    // A little training, so the distributions are peaked and the beam has clear choices.
    model = createGPT(tinyConfig(tok.vocabSize, { nLayer: 2, nEmbd: 32, blockSize: 24 }), 3);
    const ids = Int32Array.from(tok.encode(text));
    const tr = new Trainer(model, { train: ids, val: ids }, tinyTrain({ batchSize: 8, learningRate: 1e-2 }), 0);
    for (let i = 0; i < 40; i++) tr.trainStep();
    await tr.readLosses();
    tr.dispose();
  });
  afterAll(() => disposeGPT(model));

  it('a forward pass after cached positions gives the full pass’s logits', () => {
    const ids = tok.encode('The lazy dog sle');
    const [full, step] = tf.tidy(() => {
      const all = forward(model, tf.tensor2d([ids], undefined, 'int32')).logits; // (1, T, V)
      const head = forward(model, tf.tensor2d([ids.slice(0, 10)], undefined, 'int32'), { returnCache: true });
      const rest = forward(model, tf.tensor2d([ids.slice(10)], undefined, 'int32'), { past: head.cache!, lastOnly: true }).logits; // (1, 1, V)
      return [all.slice([0, ids.length - 1, 0], [1, 1, -1]).dataSync(), rest.dataSync()];
    });
    expect(step.length).toBe(tok.vocabSize);
    for (let i = 0; i < full.length; i++) expect(Math.abs(full[i]! - step[i]!)).toBeLessThan(1e-4);
  });

  it('ranks the same words with the same probabilities, cached or not', async () => {
    const before = tf.memory().numTensors;
    for (const prompt of ['The lazy', 'The quick brown fox jumps over the lazy']) {
      // The second prompt is longer than the 24-token context: cropped, every call a full pass.
      const opts = { topTokens: 8, beam: { topWords: 12 }, track: 'dog' };
      const cached = await predictNext(model, tok, prompt, opts);
      const plain = await predictNext(model, tok, prompt, { ...opts, cache: false });
      expect(cached.words.length).toBeGreaterThan(3);
      expectSame(cached, plain);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('generates the same tokens, into and past the end of the context', async () => {
    const run = async (cache: boolean) => {
      const out: { id: number; p: number }[] = [];
      for await (const t of generate(model, tok, 'The fox ', sample, { cache })) out.push({ id: t.id, p: t.p });
      return out;
    };
    const before = tf.memory().numTensors;
    const [a, b] = [await run(true), await run(false)];
    expect(a.map((t) => t.id)).toEqual(b.map((t) => t.id));
    a.forEach((t, i) => expect(Math.abs(t.p - b[i]!.p)).toBeLessThan(1e-5));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('spends one position per extension of a cached context', async () => {
    const uncached = (cs: number[][]) => nextTokenLogits(model, cs);
    const c = new CachedLogits(model);
    const prompt = tok.encode('The lazy');
    await c.logits([prompt]);
    expect(c.positions).toBe(prompt.length);
    const kids = [1, 2, 3].map((id) => [...prompt, id]);
    const got = await c.logits(kids);
    expect(c.positions).toBe(prompt.length + 3);
    await c.logits(kids.map((k) => [...k, 4])); // grandchildren: three more positions
    expect(c.positions).toBe(prompt.length + 6);
    const want = await uncached(kids);
    got.forEach((l, k) => l.forEach((x, i) => expect(Math.abs(x - want[k]![i]!)).toBeLessThan(1e-4)));
    c.dispose();
  });

  it('runs the part that cropped windows share once', async () => {
    const c = new CachedLogits(model);
    const long = tok.encode('The quick brown fox jumps over the lazy'); // 39 tokens, context 24
    const kids = [1, 2, 3].map((id) => [...long, 5, id]); // windows: the same 22 tokens, then 5, then their own
    const got = await c.logits(kids);
    expect(c.positions).toBe(23 + 3); // the shared 23 once, then one position each
    const want = await nextTokenLogits(model, kids);
    got.forEach((l, k) => l.forEach((x, i) => expect(Math.abs(x - want[k]![i]!)).toBeLessThan(1e-4)));
    c.dispose();
    expect(tf.memory().numTensors).toBe(model.named.length);
  });
});

describe('the cache kernels on wasm equal stock ops', () => {
  const rng = new Rng(4);
  const rand = (shape: number[]) =>
    tf.tensor(
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
      shape,
    );
  const close = async (got: tf.Tensor, want: tf.Tensor) => {
    expect(got.shape).toEqual(want.shape);
    const [g, w] = [await got.data(), await want.data()];
    for (let i = 0; i < w.length; i++) expect(Math.abs(g[i]! - w[i]!)).toBeLessThan(1e-4);
  };

  it('append a parent row’s keys and small products (one query row, transposed or not)', async () => {
    await backend('wasm');
    const cases: [number[], number[], boolean][] = [
      [[3, 2, 1, 8], [3, 2, 5, 8], true], // q·kᵀ, one query
      [[3, 2, 1, 5], [3, 2, 5, 8], false], // att·v
      [[2, 3, 7], [2, 7, 6], false], // M and N off the tiled kernel's grid
    ];
    const inputs = cases.map(([a, b]) => [rand(a), rand(b)] as const);
    const past = rand([4, 2, 3, 8]);
    const x = rand([3, 2, 1, 8]);
    const rows = tf.tensor1d([2, 0, 2], 'int32');
    const got = [...inputs.map(([a, b], i) => mm(a, b, false, cases[i]![2])), appendPast(past as tf.Tensor4D, x as tf.Tensor4D, rows)];
    const values = await Promise.all(got.map(async (t) => ({ shape: t.shape, data: await t.data() })));
    await backend('cpu'); // the same numbers from tfjs's own kernels
    const want = [...inputs.map(([a, b], i) => tf.matMul(a, b, false, cases[i]![2])), tf.concat([tf.gather(past, rows), x], 2)];
    for (const [i, w] of want.entries()) await close(tf.tensor(values[i]!.data, values[i]!.shape), w);
  });
});
