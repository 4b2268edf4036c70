/**
 * Gradient accumulation: a batch too big to hold in memory at once is run as k equal
 * micro-batches, each forward and backward on its own, their gradients summed before the
 * one optimizer step (nanoGPT's `gradient_accumulation_steps`). The step is the same maths
 * as the whole batch: the loss is the mean over all sequences either way.
 *
 * Why: training keeps every layer's activations until the backward pass. nanoGPT's `baby`
 * (6 × 384, context 256) at its batch of 64 keeps ~7 GB of them in float32, and
 * tfjs-wasm's heap cannot grow past 2–4 GB: the step aborted. Split into 8 micro-batches
 * of 8 sequences it needs ~0.9 GB.
 */
import type { SizedModelConfig } from '../config';
import type { Batch } from '../data/dataset';

/** What one training step may keep in activations at a time. */
export const ACTIVATION_BUDGET_BYTES = 2 ** 30;

/**
 * Bytes of activations one sequence keeps from its forward pass to its backward pass
 * (float32). Per layer and position: about 34·C values (the LayerNorm, q/k/v, projection
 * and 4C-wide MLP tensors, as counted for GPT training by Korthikanti et al. 2022) and
 * 3·heads·T for attention (scores, weights, dropout mask); then the logits twice (V each).
 */
export function activationBytesPerSequence(c: SizedModelConfig): number {
  const { nLayer: L, nHead: H, nEmbd: C, blockSize: T, vocabSize: V } = c;
  return 4 * T * (L * (34 * C + 3 * H * T) + 2 * V);
}

/** The fewest equal micro-batches (a divisor of batchSize) whose activations fit the budget. */
export function microBatchesFor(c: SizedModelConfig, batchSize: number, budget = ACTIVATION_BUDGET_BYTES): number {
  const perSequence = activationBytesPerSequence(c);
  for (let k = 1; k < batchSize; k++) {
    if (batchSize % k === 0 && (batchSize / k) * perSequence <= budget) return k;
  }
  return batchSize;
}

/** A batch cut into k equal runs of whole sequences. */
export function splitBatch(batch: Batch, k: number): Batch[] {
  if (k === 1) return [batch];
  if (batch.batchSize % k !== 0) throw new Error(`cannot split a batch of ${batch.batchSize} into ${k} equal parts`);
  const b = batch.batchSize / k;
  const n = b * batch.blockSize;
  return Array.from({ length: k }, (_, i) => ({
    x: batch.x.slice(i * n, (i + 1) * n),
    y: batch.y.slice(i * n, (i + 1) * n),
    batchSize: b,
    blockSize: batch.blockSize,
  }));
}
