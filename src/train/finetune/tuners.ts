/**
 * What the fine-tuning methods share: preference pairs and the config, the metrics a step
 * reports, the optimiser, batches drawn by step, and the base of every tuner (pending
 * metrics on the device, read back in one go).
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedParam } from '../../model/gpt';
import { Rng, mix } from '../../util/rng';
import { AdamW } from '../adamw';
import type { Example } from './tuning';

/** A preference: `chosen` and `rejected` both continue `prompt` (token ids). */
export interface Pair {
  prompt: number[];
  chosen: number[];
  rejected: number[];
}

export interface TuneConfig {
  /** Constant learning rate (fine-tuning moves a trained model: small steps). */
  lr: number;
  /** Weight of the KL to the reference (DPO's and RLHF's β). */
  beta: number;
  /** Examples or pairs per step. */
  batchSize: number;
  seed: number;
  /** RLHF: steps of reward-model training before the policy steps. */
  rmSteps: number;
  /** RLHF: tokens the policy samples per prompt. */
  sampleTokens: number;
  /** DPO: weight of the chosen answer's NLL (0 = pure DPO; see dpoLoss). */
  nll: number;
}

export const TUNE_DEFAULTS: TuneConfig = { lr: 1e-4, beta: 0.1, batchSize: 8, seed: 1, rmSteps: 40, sampleTokens: 4, nll: 1 };

/**
 * The default learning rate of a method. Instruction tuning is next-token training on new
 * text and takes a pre-training-sized step; DPO and RLHF have no such anchor (see
 * preference.ts) and take small ones.
 */
export function defaultLr(method: TuneMethod): number {
  return method === 'sft' ? 1e-3 : TUNE_DEFAULTS.lr;
}

/** What a fine-tuning step reports (the fields that apply to its method). */
export interface TuneMetrics {
  step: number;
  loss: number;
  /** DPO: β·(Δ chosen − Δ rejected), the implicit reward margin. */
  rewardMargin?: number;
  /** RLHF policy steps: the reward model's mean score of the samples. */
  reward?: number;
  /** RLHF policy steps: the sampled KL to the reference. */
  kl?: number;
  /** RLHF: the reward model's accuracy on held-out pairs. */
  rmAccuracy?: number;
}

export type TuneMethod = 'sft' | 'dpo' | 'rlhf';

export const optimizerFor = (params: NamedParam[]) => new AdamW(params, { beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0, gradClip: 1 }, true);

/** `n` items drawn (seeded by step) from `items`. */
export function drawBatch<T>(items: readonly T[], n: number, seed: number, step: number): T[] {
  const rng = new Rng(mix(seed, step, 0xf1));
  return Array.from({ length: Math.min(n, items.length) }, () => items[Math.floor(rng.next() * items.length)]!);
}

/** One optimiser step of `params` on `loss` (a closure over the model). Returns the loss, on the device. */
export function optimise(opt: AdamW, params: NamedParam[], lr: number, loss: () => tf.Scalar): tf.Scalar {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      loss,
      params.map((p) => p.variable),
    );
    opt.apply(new Map(params.map((p) => [p.name, grads[p.variable.name]!] as const)), lr);
    return value;
  });
}

/**
 * log σ(z) = −softplus(−z). (tfjs 4.22's own logSigmoid keeps its input in a closure that
 * is freed before the backward pass, so its gradient fails.)
 */
export const logSigmoid = (z: tf.Tensor) => tf.neg(tf.softplus(tf.neg(z)));

export const asExamples = (pairs: readonly Pair[], which: 'chosen' | 'rejected'): Example[] => pairs.map((p) => ({ prompt: p.prompt, completion: p[which] }));

// ---------------------------------------------------------------------------------
// Tuners: one step at a time, like the Trainer (the worker's job and the CLI drive them)

export interface Tuner {
  readonly method: TuneMethod;
  /** Steps done. */
  step: number;
  trainStep(): Promise<void>;
  /** Metrics of the steps since the last read. */
  readMetrics(): Promise<TuneMetrics[]>;
  dispose(): void;
}

export type Pending = { step: number; loss: tf.Scalar; margin?: tf.Scalar; reward?: number; kl?: number; rmAccuracy?: number };

/** What the tuners share: the pending metrics and their read-back. */
export abstract class BaseTuner implements Tuner {
  abstract readonly method: TuneMethod;
  step = 0;
  protected pending: Pending[] = [];
  abstract trainStep(): Promise<void>;

  async readMetrics(): Promise<TuneMetrics[]> {
    const out: TuneMetrics[] = [];
    for (const p of this.pending) {
      const loss = (await p.loss.data())[0]!;
      const margin = p.margin ? (await p.margin.data())[0]! : undefined;
      tf.dispose([p.loss, ...(p.margin ? [p.margin] : [])]);
      out.push({
        step: p.step,
        loss,
        ...(margin !== undefined ? { rewardMargin: margin } : {}),
        ...(p.reward !== undefined ? { reward: p.reward } : {}),
        ...(p.kl !== undefined ? { kl: p.kl } : {}),
        ...(p.rmAccuracy !== undefined ? { rmAccuracy: p.rmAccuracy } : {}),
      });
    }
    this.pending = [];
    return out;
  }

  dispose(): void {
    for (const p of this.pending) tf.dispose([p.loss, ...(p.margin ? [p.margin] : [])]);
    this.pending = [];
  }
}
