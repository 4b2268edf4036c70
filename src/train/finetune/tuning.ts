/**
 * Fine-tuning's shared pieces: prompt → continuation examples as padded batches with a
 * mask on the continuation, the log-probability a model gives a continuation, and
 * supervised fine-tuning (instruction tuning) on them.
 *
 * The mask is the whole idea of instruction tuning: the model reads the prompt as context
 * and is scored only on the completion, so it learns to answer, not to write questions.
 */
import * as tf from '@tensorflow/tfjs';
import { createGPT, forward, type GPT } from '../../model/gpt';
import { effectiveWeights } from '../../model/lora';
import { oneHotFloat } from '../../model/formulations';

/** A prompt and a continuation of it, as token ids. */
export interface Example {
  prompt: number[];
  completion: number[];
}

/** Padded batch: inputs, next-token targets, and 1 where the target is a continuation token. */
export interface Packed {
  x: Int32Array; // (B·T)
  y: Int32Array; // (B·T)
  mask: Float32Array; // (B·T)
  B: number;
  T: number;
}

/**
 * Pack examples into one batch. Each sequence is prompt ++ completion; position t predicts
 * token t+1, which counts when it belongs to the completion. Shorter sequences are padded
 * at the end (causal attention: padding never affects the positions before it). A sequence
 * longer than the context keeps its last blockSize + 1 tokens.
 */
export function pack(examples: readonly Example[], blockSize: number): Packed {
  const seqs = examples.map((e) => {
    const all = [...e.prompt, ...e.completion];
    const drop = Math.max(0, all.length - (blockSize + 1));
    return { ids: all.slice(drop), firstScored: Math.max(1, e.prompt.length - drop) }; // index of the first completion token
  });
  const T = Math.max(1, ...seqs.map((s) => s.ids.length - 1));
  const B = seqs.length;
  const x = new Int32Array(B * T);
  const y = new Int32Array(B * T);
  const mask = new Float32Array(B * T);
  seqs.forEach(({ ids, firstScored }, b) => {
    for (let t = 0; t + 1 < ids.length; t++) {
      x[b * T + t] = ids[t]!;
      y[b * T + t] = ids[t + 1]!;
      if (t + 1 >= firstScored) mask[b * T + t] = 1;
    }
  });
  return { x, y, mask, B, T };
}

/** log p(every token) at every position, (B·T, V). Call inside tf.tidy. */
export function allLogProbs(model: GPT, p: Packed): tf.Tensor2D {
  const { logits } = forward(model, tf.tensor2d(p.x, [p.B, p.T], 'int32'));
  return tf.logSoftmax(logits.reshape([p.B * p.T, logits.shape[2]])) as tf.Tensor2D;
}

/**
 * log p(target) at the continuation's positions only (the mask's 1s), (P), and the example
 * each belongs to. The model's head runs at those positions alone: with GPT-2's 50,257 words
 * the logits of a DPO batch's prompts were most of a step's products, and all of them unread.
 * Call inside tf.tidy.
 */
function continuationTargets(model: GPT, p: Packed): { logp: tf.Tensor1D; example: tf.Tensor1D } {
  const at: number[] = [];
  p.mask.forEach((m, i) => void (m !== 0 && at.push(i)));
  const none = at.length === 0; // no continuation tokens: 0, still a function of the weights (a zero gradient, as the sum over an empty mask was)
  if (none) at.push(0);
  const V = model.config.vocabSize;
  const { logits } = forward(model, tf.tensor2d(p.x, [p.B, p.T], 'int32'), { positions: tf.tensor1d(at, 'int32') }); // (P, 1, V)
  const all = tf.logSoftmax(logits.reshape([at.length, V]));
  const logp = tf.sum(
    tf.mul(
      all,
      oneHotFloat(
        tf.tensor1d(
          at.map((i) => p.y[i]!),
          'int32',
        ),
        V,
      ),
    ),
    -1,
  ) as tf.Tensor1D;
  return {
    logp: none ? tf.mul(logp, 0) : logp,
    example: tf.tensor1d(
      at.map((i) => Math.floor(i / p.T)),
      'int32',
    ),
  };
}

/**
 * Each example's KL(π ‖ π_ref) summed over its continuation positions, exactly (over the
 * whole vocabulary at each position), (B). Differentiable in `policy`; `refLogProbs` is
 * the reference's `allLogProbs` for the same batch.
 */
export function continuationKl(policy: GPT, refLogProbs: tf.Tensor2D, p: Packed): tf.Tensor1D {
  const lp = allLogProbs(policy, p);
  const perPosition = tf.sum(tf.mul(tf.exp(lp), tf.sub(lp, refLogProbs)), -1).reshape([p.B, p.T]);
  return tf.sum(tf.mul(perPosition, tf.tensor2d(p.mask, [p.B, p.T])), 1) as tf.Tensor1D;
}

/** Each example's continuation log-probability, Σ log p(completion token | before), (B). Differentiable. */
export function continuationLogProbs(model: GPT, p: Packed): tf.Tensor1D {
  const t = continuationTargets(model, p);
  return tf.unsortedSegmentSum(t.logp, t.example, p.B);
}

/** Mean loss over the continuation tokens only: the prompt is context, never scored. */
export function maskedLoss(model: GPT, p: Packed): tf.Scalar {
  return tf.neg(tf.mean(continuationTargets(model, p).logp)) as tf.Scalar;
}

/** A frozen copy of a model (the reference a fine-tuning stage is measured against). */
export function copyGPT(model: GPT): GPT {
  const copy = createGPT(model.config, 0);
  // Through the model's structure, not `named`: a LoRA model trains only its adapters, and its copy holds them merged.
  tf.tidy(() => {
    const weights = effectiveWeights(model);
    copy.named.forEach((p, i) => p.variable.assign(weights[i]!));
  });
  return copy;
}

/**
 * An identity for a model's weights: a checksum of a few of them (cheap, deterministic),
 * so a checkpoint can say which model was the reference of its fine-tuning.
 */
export async function weightsId(model: GPT): Promise<string> {
  let h = 0x811c9dc5;
  for (const p of [...model.named, ...(model.lora?.named ?? [])]) {
    const v = await p.variable.data();
    for (let i = 0; i < v.length; i += Math.max(1, Math.floor(v.length / 64))) {
      h = Math.imul(h ^ Math.round(v[i]! * 1e6), 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}
