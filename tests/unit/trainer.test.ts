import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTokenizer } from '../../src/tokenizer';
import { splitTokens } from '../../src/data/dataset';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { AdamW } from '../../src/train/adamw';
import { learningRateAt } from '../../src/train/schedule';
import { batchLoss, Trainer } from '../../src/train/trainer';
import { predictNext } from '../../src/predict/predictor';
import { backend, readCorpus, tinyConfig, tinyTrain } from '../helpers';

beforeAll(() => backend('cpu'));

const text = readCorpus('tinyshakespeare.txt').slice(0, 50_000);
const tok = buildTokenizer(text, { kind: 'char', vocabSize: 0 });
const data = splitTokens(tok.encode(text), 8);

async function losses(seed: number, steps: number): Promise<number[]> {
  const model = createGPT(tinyConfig(tok.vocabSize), seed);
  const tr = new Trainer(model, data, tinyTrain({ seed }));
  for (let i = 0; i < steps; i++) tr.trainStep();
  const out = (await tr.readLosses()).map((l) => l.loss);
  tr.dispose();
  disposeGPT(model);
  return out;
}

describe('learning-rate schedule', () => {
  const c = { learningRate: 1e-3, minLearningRate: 1e-4, warmupSteps: 10, decaySteps: 110 };
  it('warms up linearly, decays on a cosine, then holds the floor', () => {
    expect(learningRateAt(0, c)).toBeCloseTo(1e-4, 10);
    expect(learningRateAt(4, c)).toBeCloseTo(5e-4, 10);
    expect(learningRateAt(9, c)).toBeCloseTo(1e-3, 10);
    expect(learningRateAt(60, c)).toBeCloseTo(5.5e-4, 10); // halfway down the cosine
    expect(learningRateAt(110, c)).toBe(1e-4);
    expect(learningRateAt(5000, c)).toBe(1e-4);
    for (let s = 10; s < 110; s++) expect(learningRateAt(s + 1, c)).toBeLessThanOrEqual(learningRateAt(s, c));
  });
});

describe('AdamW', () => {
  it('decays only parameters declared for decay, and matches the textbook update', async () => {
    const w = tf.variable(tf.tensor2d([[1, -2]]));
    const b = tf.variable(tf.tensor1d([3]));
    const opt = new AdamW(
      [
        { name: 'w', variable: w, decay: true },
        { name: 'b', variable: b, decay: false },
      ],
      { beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.5, gradClip: 0 },
    );
    tf.tidy(() => {
      opt.apply(
        new Map<string, tf.Tensor>([
          ['w', tf.zeros([1, 2])],
          ['b', tf.zeros([1])],
        ]),
        0.1,
      );
    });
    // Zero gradient: only decay moves w (×(1 − lr·wd) = ×0.95); b is untouched.
    expect(Array.from(await w.data())).toEqual([0.95, -1.9].map((x) => Math.fround(x)));
    expect(Array.from(await b.data())).toEqual([3]);
    tf.tidy(() => {
      opt.apply(
        new Map<string, tf.Tensor>([
          ['w', tf.zeros([1, 2])],
          ['b', tf.tensor1d([2])],
        ]),
        0.1,
      );
    });
    // First nonzero gradient with bias correction: step = lr · m̂/(√v̂ + ε) ≈ lr · sign(g).
    expect((await b.data())[0]).toBeCloseTo(3 - (0.1 * ((0.1 * 2) / (1 - 0.81))) / (Math.sqrt((0.01 * 4) / (1 - 0.9801)) + 1e-8), 5);
    opt.dispose();
    w.dispose();
    b.dispose();
  });

  it('clips gradients to the global norm', async () => {
    const p = tf.variable(tf.tensor1d([0, 0]));
    const opt = new AdamW([{ name: 'p', variable: p, decay: false }], { beta1: 0, beta2: 0, epsilon: 0, weightDecay: 0, gradClip: 1 });
    const norm = tf.tidy(() => tf.keep(opt.apply(new Map([['p', tf.tensor1d([30, 40])]]), 1)));
    expect((await norm.data())[0]).toBeCloseTo(50, 4); // reported before clipping
    // With β = 0 Adam's step is g/|g| per element whatever the scale — so check m directly.
    expect(Array.from(await opt.m.get('p')!.data()).map((x) => +x.toFixed(5))).toEqual([0.6, 0.8]);
    norm.dispose();
    opt.dispose();
    p.dispose();
  });
});

describe('Trainer', () => {
  it('is deterministic for a seed on the cpu backend', async () => {
    const a = await losses(42, 5);
    const b = await losses(42, 5);
    const c = await losses(43, 5);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('lowers the loss', async () => {
    const model = createGPT(tinyConfig(tok.vocabSize, { nEmbd: 32 }), 1);
    const tr = new Trainer(model, data, tinyTrain({ batchSize: 8, learningRate: 1e-2 }));
    const before = await tr.evaluate();
    for (let i = 0; i < 60; i++) tr.trainStep();
    const after = await tr.evaluate();
    const ls = await tr.readLosses();
    expect(ls).toHaveLength(60);
    expect(ls[59]!.step).toBe(60);
    expect(after.train).toBeLessThan(before.train - 0.5);
    expect(after.val).toBeLessThan(before.val - 0.5);
    expect(tr.tokensPerSec).toBeGreaterThan(0);
    tr.dispose();
    disposeGPT(model);
  });

  it('leaks no tensors across 50 steps and 50 predictions after warm-up', async () => {
    const start = tf.memory().numTensors;
    const model = createGPT(tinyConfig(tok.vocabSize), 1);
    const tr = new Trainer(model, data, tinyTrain());
    tr.trainStep();
    await tr.readLosses();
    await tr.evaluate();
    await predictNext(model, tok, 'First Citizen:', { beam: { maxDepth: 4 } });
    const base = tf.memory();
    for (let i = 0; i < 50; i++) {
      tr.trainStep();
      if (i % 10 === 9) await tr.readLosses();
    }
    await tr.evaluate();
    expect(tf.memory().numTensors).toBe(base.numTensors);
    for (let i = 0; i < 50; i++) await predictNext(model, tok, 'First Citizen: we ' + 'abcdefghij'[i % 10], { beam: { maxDepth: 4 } });
    expect(tf.memory().numTensors).toBe(base.numTensors);
    expect(tf.memory().numBytes).toBe(base.numBytes);
    tr.dispose();
    disposeGPT(model);
    expect(tf.memory().numTensors).toBe(start); // model and optimizer fully freed
  });
});

describe('evaluateFull', () => {
  it('is the mean loss of every whole window of the split, each token once, short last batch included', async () => {
    const model = createGPT(tinyConfig(tok.vocabSize), 7);
    const T = model.config.blockSize;
    // 5 windows and 3 spare tokens: with batches of 4 (tinyTrain), one full batch and one of 1.
    const stream = data.val.slice(0, 5 * T + 3);
    const tr = new Trainer(model, data, tinyTrain({ batchSize: 4 }));
    const before = tf.memory().numTensors;
    const full = await tr.evaluateFull(stream);
    expect(tf.memory().numTensors).toBe(before);
    // By hand: each window alone, its mean over T positions, then the mean of the windows.
    let sum = 0;
    for (let w = 0; w < 5; w++) {
      const x = stream.slice(w * T, (w + 1) * T);
      const y = stream.slice(w * T + 1, (w + 1) * T + 1);
      sum += tf.tidy(() => batchLoss(model, { x, y, batchSize: 1, blockSize: T }).dataSync()[0]!);
    }
    expect(full).toBeCloseTo(sum / 5, 5);
    // The 3 spare tokens are not a window: adding 2 more changes nothing.
    expect(await tr.evaluateFull(data.val.slice(0, 5 * T + 5))).toBeCloseTo(full, 6);
    await expect(tr.evaluateFull(data.val.slice(0, T))).rejects.toThrow(/no window/);
    tr.dispose();
    disposeGPT(model);
  });
});
