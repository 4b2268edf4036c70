/**
 * What the fine-tuning methods share: preference pairs and the config, the metrics a step
 * reports, the optimiser, batches drawn by step, the hold on what the model knew (its
 * predictions on pre-training text), and the base of every tuner (pending metrics on the
 * device, read back in one go).
 */
import * as tf from '@tensorflow/tfjs';
import type { GPT, NamedParam } from '../../model/gpt';
import { trainableParams } from '../../model/lora';
import { Rng, mix } from '../../util/rng';
import { AdamW } from '../adamw';
import type { PretrainText } from './pretrainText';
import type { TuneConfig, TuneMethod, TuneMetrics } from './tuneConfig';
import { allLogProbs, type Example } from './tuning';

export { TUNE_DEFAULTS, defaultBeta, defaultLr, lrAt, type TuneConfig, type TuneMethod, type TuneMetrics } from './tuneConfig';

/** A preference: `chosen` and `rejected` both continue `prompt` (token ids). */
export interface Pair {
  prompt: number[];
  chosen: number[];
  rejected: number[];
}

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
 * One step on a method's loss with the hold on what the model knew: on a batch of corpus
 * windows the tuning data does not touch, KL(before ‖ now) at every position, weighted by
 * `cfg.keep` (the reference's predictions are the targets; zero where nothing moved, so it
 * costs the stage nothing until it starts to forget). Returns the method's own loss and
 * that KL, on the device, so the person sees each.
 */
export function optimiseKeeping(
  opt: AdamW,
  model: GPT,
  reference: GPT,
  cfg: Pick<TuneConfig, 'lr' | 'keep' | 'batchSize' | 'seed'>,
  step: number,
  pretrain: PretrainText | undefined,
  loss: () => tf.Scalar,
): { loss: tf.Scalar; keepKl?: tf.Scalar } {
  const batch = pretrain && cfg.keep > 0 ? pretrain.batch(cfg.batchSize, cfg.seed, step) : undefined;
  if (!batch || batch.B === 0) return { loss: optimise(opt, trainableParams(model), cfg.lr, loss) };
  const ref = tf.tidy(() => allLogProbs(reference, batch));
  let own: tf.Scalar | undefined;
  let kl: tf.Scalar | undefined;
  const total = optimise(opt, trainableParams(model), cfg.lr, () => {
    own = tf.keep(loss());
    const now = allLogProbs(model, batch);
    kl = tf.keep(tf.mean(tf.sum(tf.mul(tf.exp(ref), tf.sub(ref, now)), -1)) as tf.Scalar);
    return tf.add(own, tf.mul(kl, cfg.keep)) as tf.Scalar;
  });
  tf.dispose([total, ref]);
  return { loss: own!, keepKl: kl! };
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
  /** The model it tunes. */
  readonly model: GPT;
  /** Steps done. */
  step: number;
  /** The learning rate its last step used (its warm-up, then the stage's rate). */
  readonly lr: number;
  trainStep(): Promise<void>;
  /** Work due when the stage ends (RLHF: the last win rate), reported with the last step's metrics. */
  finish?(): Promise<void>;
  /** Metrics of the steps since the last read. */
  readMetrics(): Promise<TuneMetrics[]>;
  dispose(): void;
}

type Numbers = Omit<TuneMetrics, 'step' | 'loss' | 'rewardMargin' | 'keepKl'>;
export type Pending = { step: number; loss: tf.Scalar; margin?: tf.Scalar; keepKl?: tf.Scalar } & Numbers;

/** What the tuners share: the pending metrics and their read-back. */
export abstract class BaseTuner implements Tuner {
  abstract readonly method: TuneMethod;
  abstract readonly model: GPT;
  step = 0;
  lr = 0;
  protected pending: Pending[] = [];
  abstract trainStep(): Promise<void>;

  async readMetrics(): Promise<TuneMetrics[]> {
    const out: TuneMetrics[] = [];
    const read = async (t: tf.Scalar | undefined) => (t ? (await t.data())[0]! : undefined);
    for (const p of this.pending) {
      const { step, loss, margin, keepKl, ...numbers } = p;
      const [l, m, held] = [(await read(loss))!, await read(margin), await read(keepKl)];
      tf.dispose([loss, ...(margin ? [margin] : []), ...(keepKl ? [keepKl] : [])]);
      const defined = Object.fromEntries(Object.entries(numbers).filter(([, v]) => v !== undefined));
      out.push({ step, loss: l, ...(m !== undefined ? { rewardMargin: m } : {}), ...(held !== undefined ? { keepKl: held } : {}), ...defined });
    }
    this.pending = [];
    return out;
  }

  dispose(): void {
    for (const p of this.pending) tf.dispose([p.loss, ...(p.margin ? [p.margin] : []), ...(p.keepKl ? [p.keepKl] : [])]);
    this.pending = [];
  }
}
