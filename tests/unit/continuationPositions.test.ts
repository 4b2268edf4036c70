/**
 * Fine-tuning's losses run the model's head only at the continuation's positions (forward's
 * `positions`, train/finetune/tuning.ts): the log-probabilities, the masked loss and their
 * gradients must be those of the whole-batch formula (log-softmax at every position, times
 * the mask), on the cpu and wasm backends, for a full model and one with LoRA adapters, and
 * a batch with no continuation tokens still gives 0 and a zero gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { createGPT, disposeGPT, forward, type GPT } from '../../src/model/gpt';
import { addLora, trainableParams } from '../../src/model/lora';
import { allLogProbs, continuationLogProbs, maskedLoss, pack, type Packed } from '../../src/train/finetune/tuning';
import { oneHotFloat } from '../../src/model/formulations';
import { backend, tinyConfig } from '../helpers';

afterAll(() => backend('cpu'));

const V = 37;
const examples = [
  { prompt: [1, 2, 3, 4, 5], completion: [6, 7] },
  { prompt: [8, 9], completion: [10, 11, 12] },
  { prompt: [13, 14, 15], completion: [16] },
];

/** The whole-batch formula: log p(target) at every position, times the mask, (B, T). */
function maskedTargets(model: GPT, p: Packed): tf.Tensor2D {
  const lp = allLogProbs(model, p);
  const picked = tf.sum(tf.mul(lp, oneHotFloat(tf.tensor1d(p.y, 'int32'), V)), -1).reshape([p.B, p.T]);
  return tf.mul(picked, tf.tensor2d(p.mask, [p.B, p.T])) as tf.Tensor2D;
}

async function gradients(model: GPT, loss: () => tf.Scalar): Promise<Float32Array[]> {
  const params = trainableParams(model).map((n) => n.variable);
  const { value, grads } = tf.variableGrads(loss, params);
  value.dispose();
  const out = await Promise.all(params.map((v) => grads[v.name]!.data() as Promise<Float32Array>));
  tf.dispose(grads);
  return out;
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(tol);
}

describe.each(['cpu', 'wasm'] as const)('continuation positions on %s', (name) => {
  for (const lora of [false, true]) {
    it(`equal the whole-batch formula, values and gradients${lora ? ' (LoRA)' : ''}`, async () => {
      await backend(name);
      const model = createGPT(tinyConfig(V, { nLayer: 2, nEmbd: 16, blockSize: 16 }), 4);
      if (lora) addLora(model, { r: 2, alpha: 4, targets: ['c_attn'] }, 1);
      // Adapters start with b = 0; give them values so their gradients are not trivially alike.
      for (const p of model.lora?.named ?? []) p.variable.assign(tf.randomNormal(p.variable.shape, 0, 0.1, 'float32', 5));
      const p = pack(examples, model.config.blockSize);
      const before = tf.memory().numTensors;
      const [got, want] = tf.tidy(() => [continuationLogProbs(model, p).dataSync(), tf.sum(maskedTargets(model, p), 1).dataSync()]);
      expectClose(got!, want!, 1e-5);
      const wholeLoss = () => tf.div(tf.neg(tf.sum(maskedTargets(model, p))), tf.sum(tf.tensor1d(p.mask))) as tf.Scalar;
      expectClose([tf.tidy(() => maskedLoss(model, p).dataSync()[0]!)], [tf.tidy(() => wholeLoss().dataSync()[0]!)], 1e-5);
      const [g1, g2] = [await gradients(model, () => maskedLoss(model, p)), await gradients(model, wholeLoss)];
      g1.forEach((g, i) => expectClose(g, g2[i]!, 1e-5));
      const [d1, d2] = [await gradients(model, () => tf.sum(continuationLogProbs(model, p))), await gradients(model, () => tf.sum(maskedTargets(model, p)))];
      d1.forEach((g, i) => expectClose(g, d2[i]!, 1e-5));
      expect(tf.memory().numTensors).toBe(before);
      disposeGPT(model);
    });
  }

  it('a batch without continuation tokens: 0, and a zero gradient', async () => {
    await backend(name);
    const model = createGPT(tinyConfig(V, { nLayer: 1, nEmbd: 16, blockSize: 16 }), 4);
    const p = pack([{ prompt: [1, 2, 3], completion: [] }], model.config.blockSize);
    expect(Array.from(tf.tidy(() => continuationLogProbs(model, p).dataSync()))).toEqual([0]);
    for (const g of await gradients(model, () => tf.sum(continuationLogProbs(model, p)))) expect(g.every((x) => x === 0)).toBe(true);
    // forward's positions: the logits of those positions, as the whole pass has them.
    const [some, all] = tf.tidy(() => {
      const x = tf.tensor2d([[1, 2, 3, 4]], undefined, 'int32');
      return [forward(model, x, { positions: tf.tensor1d([3, 1], 'int32') }).logits.dataSync(), forward(model, x).logits.dataSync()];
    });
    expectClose(some!, [...all!.slice(3 * V, 4 * V), ...all!.slice(V, 2 * V)], 1e-5);
    disposeGPT(model);
  });
});
