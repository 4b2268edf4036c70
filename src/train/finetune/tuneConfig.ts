/**
 * What a fine-tuning stage is configured with and what it reports: the settings, their
 * defaults per method, the metrics of a step. Plain data with no tfjs, so the page reads the
 * same defaults the worker and the CLI train with.
 */

export interface TuneConfig {
  /** The learning rate (fine-tuning moves a trained model: small steps), after `warmup`. */
  lr: number;
  /**
   * Steps over which the rate climbs to `lr` (RLHF's policy counts from its first step).
   * A fresh AdamW's first steps are about `lr` in every weight at once: instruction tuning
   * at 1e-3 without it threw the fox model's other predictions 0.34 nats off in 10 steps,
   * before the hold on what it knew could pull them back (and a KL budget stopped it there).
   */
  warmup: number;
  /** Weight of the KL to the reference (DPO's and RLHF's β). */
  beta: number;
  /** Examples or pairs per step. */
  batchSize: number;
  seed: number;
  /** RLHF: steps of reward-model training before the policy steps. */
  rmSteps: number;
  /** RLHF: completions the policy samples per prompt (their mean, the others', is each one's baseline: RLOO). */
  samples: number;
  /** DPO: weight of the chosen answer's NLL (0 = pure DPO; see dpoLoss). */
  nll: number;
  /**
   * Weight of the hold on what the model knew: KL(before ‖ now) on a batch of corpus windows
   * the tuning data does not touch, every step (0: off, and the model is free to forget; see
   * tuners.ts `optimiseKeeping`). At 10 the bundled questions still teach their answers in
   * 200 steps, and the fox sentence keeps "dog" (at 1 an unrelated prompt's words moved by a
   * total variation of 0.38).
   */
  keep: number;
}

export const TUNE_DEFAULTS: TuneConfig = { lr: 1e-4, warmup: 10, beta: 0.1, batchSize: 8, seed: 1, rmSteps: 40, samples: 4, nll: 1, keep: 10 };

/**
 * The default learning rate of a method. Instruction tuning is next-token training on new
 * text and takes a larger step (5e-4; at 1e-3 the questions' "? " fought the corpus's
 * "? It" hard enough in the first 20 steps to pass a 0.3-nat budget); DPO and RLHF have no
 * such anchor (see preference.ts) and take small ones.
 */
export function defaultLr(method: TuneMethod): number {
  return method === 'sft' ? 5e-4 : TUNE_DEFAULTS.lr;
}

/** The rate of a stage's `k`-th step (from 0): linear warm-up to `cfg.lr`, then constant. */
export function lrAt(cfg: Pick<TuneConfig, 'lr' | 'warmup'>, k: number): number {
  return cfg.lr * Math.min(1, (Math.max(0, k) + 1) / Math.max(1, cfg.warmup));
}

/**
 * The default β of a method, measured on held-out designs (tests/tuneDesign.ts and the fox
 * sentence's third word). DPO's β is a temperature on its margin: at the paper's 0.1 the
 * small model kept pushing the rejected answers down long after it preferred the chosen
 * one, and an unrelated prompt's ranked words moved by a total variation of 0.31; at 0.5
 * the loss is satisfied sooner (0.16). RLHF's weighs the KL against advantages measured in
 * the reward model's margin: at 0.1 a policy whose reward model could not tell the
 * preferred answer from words nobody rated drifted to those words (KL 4.8 nats); at 0.3 it
 * took the preferred one.
 */
export function defaultBeta(method: TuneMethod): number {
  return method === 'rlhf' ? 0.3 : method === 'dpo' ? 0.5 : TUNE_DEFAULTS.beta;
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
  /** RLHF: the share of held-out prompts' samples the reward model scores above the reference's. */
  winRate?: number;
  /** The hold on what it knew (when on): the step's KL(before ‖ now) on its batch of pre-training text. */
  keepKl?: number;
  /** The cost meter (costMeter.ts), at the steps it measured: KL(before ‖ now) and total variation on untouched corpus prompts. */
  costKl?: number;
  costTv?: number;
}

export type TuneMethod = 'sft' | 'dpo' | 'rlhf';

/** What a stage is told besides its method and data (train/finetune/stage.ts). */
export interface StageSettings {
  /** Stop when the cost meter's KL (nats) passes this; 0 = no budget. */
  klBudget: number;
  /** Steps between two readings of the cost meter (and always at the last). */
  measureEvery: number;
  /** Corpus prompts the meter reads (windows that end where a word starts). */
  probes: number;
}

export const STAGE_DEFAULTS: StageSettings = { klBudget: 0.3, measureEvery: 10, probes: 64 };
