/**
 * Gradient accumulation (train/microBatch.ts): a batch run as k micro-batches is the same
 * optimisation step as the whole batch, the split is chosen from the model's activation
 * memory, and nothing leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_PRESETS, TRAIN_PRESETS } from '../../src/config';
import { splitTokens } from '../../src/data/dataset';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { buildTokenizer } from '../../src/tokenizer';
import { ACTIVATION_BUDGET_BYTES, activationBytesPerSequence, microBatchesFor } from '../../src/train/microBatch';
import { Trainer } from '../../src/train/trainer';
import { backend, readCorpus, tinyConfig, tinyTrain } from '../helpers';

beforeAll(() => backend('cpu'));

const text = readCorpus('tinyshakespeare.txt').slice(0, 30_000);
const tok = buildTokenizer(text, { kind: 'char', vocabSize: 0 });
const data = splitTokens(tok.encode(text), 8);

/** Three steps at batch 8 split into k parts: losses, gradient norms, final weights, eval. */
async function run(k: number) {
  const model = createGPT(tinyConfig(tok.vocabSize, { dropout: 0 }), 7);
  const tr = new Trainer(model, data, tinyTrain({ seed: 7, batchSize: 8, microBatches: k, evalBatches: 2 }));
  tr.trainStep();
  const points = await tr.readLosses();
  const tensors = tf.memory().numTensors; // after one step: the optimizer's moments exist
  tr.trainStep();
  tr.trainStep();
  points.push(...(await tr.readLosses()));
  const leaked = tf.memory().numTensors - tensors;
  const weights = model.named.map((p) => Array.from(p.variable.dataSync()));
  const evaluation = await tr.evaluate();
  tr.dispose();
  disposeGPT(model);
  return { microBatches: tr.microBatches, points, leaked, weights, evaluation };
}

describe('micro-batches', () => {
  it('are the same step as the whole batch: losses, gradient norms and weights within 1e-5', async () => {
    const whole = await run(1);
    for (const k of [2, 4, 8]) {
      const split = await run(k);
      expect(split.microBatches).toBe(k);
      expect(split.leaked).toBe(0);
      split.points.forEach((p, i) => {
        expect(Math.abs(p.loss - whole.points[i]!.loss)).toBeLessThan(1e-5);
        expect(Math.abs(p.gradNorm - whole.points[i]!.gradNorm)).toBeLessThan(1e-5);
      });
      let worst = 0;
      split.weights.forEach((w, i) => w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - whole.weights[i]![j]!)))));
      expect(worst).toBeLessThan(1e-5);
      expect(Math.abs(split.evaluation.val - whole.evaluation.val)).toBeLessThan(1e-5);
    }
    // And the steps did something: the weights moved from the seed's.
    const fresh = createGPT(tinyConfig(tok.vocabSize, { dropout: 0 }), 7);
    expect(fresh.named.some((p, i) => p.variable.dataSync().some((v, j) => v !== whole.weights[i]![j]))).toBe(true);
    disposeGPT(fresh);
  });

  it('are chosen from activation memory: none for the small presets, 8 of 8 for baby at its batch of 64', () => {
    const sized = (name: keyof typeof MODEL_PRESETS) => ({ ...MODEL_PRESETS[name], vocabSize: 65 });
    expect(microBatchesFor(sized('nano'), TRAIN_PRESETS.nano.batchSize)).toBe(1);
    expect(microBatchesFor(sized('cpu'), TRAIN_PRESETS.cpu.batchSize)).toBe(1);
    const baby = sized('baby');
    const k = microBatchesFor(baby, 64);
    expect(64 * activationBytesPerSequence(baby)).toBeGreaterThan(4 * ACTIVATION_BUDGET_BYTES); // ~7 GB whole
    expect(k).toBe(8);
    expect((64 / k) * activationBytesPerSequence(baby)).toBeLessThanOrEqual(ACTIVATION_BUDGET_BYTES);
  });

  it('refuses a split that is not into equal parts', () => {
    const model = createGPT(tinyConfig(tok.vocabSize), 1);
    expect(() => new Trainer(model, data, tinyTrain({ batchSize: 8, microBatches: 3 }))).toThrow(/8 sequences cannot be split into 3/);
    disposeGPT(model);
  });
});
