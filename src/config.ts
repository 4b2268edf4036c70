/**
 * Folio's configuration: one plain object per concern (model, training, sampling),
 * each with named presets. Config is data — no behaviour lives here, so the same
 * objects travel through the CLI, the worker protocol and checkpoints unchanged.
 *
 * `vocabSize` is never typed by hand: it comes from the tokenizer built on the corpus.
 */
import { notice, type ModelField, type Notice } from './i18n';

export interface ModelConfig {
  /** Number of transformer blocks (nanoGPT `n_layer`). */
  nLayer: number;
  /** Attention heads per block; must divide `nEmbd`. */
  nHead: number;
  /** Width of the residual stream (embedding size), e.g. 64–384. */
  nEmbd: number;
  /** Context length: the most tokens the model can look back over. */
  blockSize: number;
  /** Dropout probability while training (0 = off; nanoGPT uses 0.2 for its baby GPT). */
  dropout: number;
}

/** A model config plus the vocabulary size that the tokenizer supplies. */
export interface SizedModelConfig extends ModelConfig {
  vocabSize: number;
}

export interface TrainConfig {
  /** Sequences per batch. */
  batchSize: number;
  /** Peak learning rate, reached at the end of warm-up. */
  learningRate: number;
  /** Learning rate at the end of the cosine decay (nanoGPT: lr / 10). */
  minLearningRate: number;
  /** Linear warm-up steps from 0 to `learningRate`. */
  warmupSteps: number;
  /** Steps over which the rate decays from peak to minimum (usually the planned run length). */
  decaySteps: number;
  /**
   * The step this schedule starts at (warm-up and decay count from here): 0 for a run from
   * scratch; a fork's own first step, so its new peak rate is used, not its parent's floor.
   */
  scheduleFrom?: number;
  /** AdamW decoupled weight decay, applied to matrices only. */
  weightDecay: number;
  beta1: number;
  beta2: number;
  /** Adam's epsilon. */
  epsilon: number;
  /** Clip gradients to this global L2 norm (0 = no clipping). */
  gradClip: number;
  /** Estimate train/val loss every this many steps… */
  evalInterval: number;
  /** …over this many batches of each split. */
  evalBatches: number;
  /** Read the training loss back from the backend every this many steps. */
  logEvery: number;
  /** Seed for weights, batches and dropout: same seed, same run (on the cpu backend). */
  seed: number;
  /**
   * Run each batch as this many equal micro-batches, summing their gradients (absent or 0:
   * as few as keep a step's activations under 1 GiB, train/microBatch.ts).
   */
  microBatches?: number;
}

export interface SampleConfig {
  /** Softmax temperature: < 1 sharpens, > 1 flattens. Ignored when greedy. */
  temperature: number;
  /** Keep only the k most likely tokens (0 = all). */
  topK: number;
  /** Keep the smallest set of tokens whose probabilities sum to p (1 = all). */
  topP: number;
  /** Always take the most likely token (argmax) instead of sampling. */
  greedy: boolean;
  /** Tokens to generate. */
  maxTokens: number;
  seed: number;
}

export const MODEL_PRESETS = {
  /** ~17 k parameters: for tests, and for WebGPU under software emulation (≈ 0.5 s/step there). */
  tiny: { nLayer: 1, nHead: 2, nEmbd: 32, blockSize: 16, dropout: 0 },
  /** ~0.1 M parameters: trains in seconds on a CPU; learns the fox corpus. */
  nano: { nLayer: 2, nHead: 4, nEmbd: 64, blockSize: 32, dropout: 0 },
  /** nanoGPT's config for a CPU (README "I only have a macbook"): 0.8 M parameters. */
  cpu: { nLayer: 4, nHead: 4, nEmbd: 128, blockSize: 64, dropout: 0 },
  /** nanoGPT's "baby GPT" for Shakespeare (train_shakespeare_char.py): 10.7 M parameters. */
  baby: { nLayer: 6, nHead: 6, nEmbd: 384, blockSize: 256, dropout: 0.2 },
} as const satisfies Record<string, ModelConfig>;

export type ModelPresetName = keyof typeof MODEL_PRESETS;

/** AdamW and clipping as nanoGPT sets them for small models; shared by every preset. */
const OPTIMIZER_DEFAULTS = { weightDecay: 0.1, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, gradClip: 1 } as const;
const SEED = 1337;

/**
 * The training config with another peak learning rate. The floor of the cosine follows it
 * down (nanoGPT's rule: at most a tenth of the peak), so a lower peak never decays *up*.
 */
export function withLearningRate(train: TrainConfig, learningRate: number): TrainConfig {
  return { ...train, learningRate, minLearningRate: Math.min(train.minLearningRate, learningRate / 10) };
}

/** Training defaults that suit each model preset (batch size and rate scale with size). */
export const TRAIN_PRESETS = {
  tiny: {
    batchSize: 4,
    learningRate: 1e-2,
    minLearningRate: 1e-4,
    warmupSteps: 5,
    decaySteps: 500,
    ...OPTIMIZER_DEFAULTS,
    evalInterval: 50,
    evalBatches: 2,
    logEvery: 5,
    seed: SEED,
  },
  nano: {
    // A large batch and a low final rate: the tiny model's probabilities settle close to
    // the corpus's true ones (the fox test) instead of jittering with each batch.
    batchSize: 32,
    learningRate: 1e-2,
    minLearningRate: 1e-4,
    warmupSteps: 20,
    decaySteps: 1000,
    ...OPTIMIZER_DEFAULTS,
    evalInterval: 50,
    evalBatches: 4,
    logEvery: 10,
    seed: SEED,
  },
  cpu: {
    batchSize: 12,
    learningRate: 1e-3,
    minLearningRate: 1e-4,
    warmupSteps: 100,
    decaySteps: 2000,
    ...OPTIMIZER_DEFAULTS,
    evalInterval: 100,
    evalBatches: 8,
    logEvery: 10,
    seed: SEED,
  },
  baby: {
    batchSize: 64,
    learningRate: 1e-3,
    minLearningRate: 1e-4,
    warmupSteps: 100,
    decaySteps: 5000,
    ...OPTIMIZER_DEFAULTS,
    evalInterval: 250,
    evalBatches: 20,
    logEvery: 10,
    seed: SEED,
  },
} as const satisfies Record<ModelPresetName, TrainConfig>;

export const SAMPLE_PRESETS = {
  /** The single most likely continuation: deterministic, often repetitive. */
  greedy: { temperature: 1, topK: 0, topP: 1, greedy: true, maxTokens: 200, seed: 1 },
  /** Plain sampling from the model's distribution. */
  balanced: { temperature: 1, topK: 0, topP: 1, greedy: false, maxTokens: 200, seed: 1 },
  /** Safer text: cooler and cut to the likely tokens. */
  focused: { temperature: 0.8, topK: 40, topP: 0.95, greedy: false, maxTokens: 200, seed: 1 },
  /** Wilder text: hotter, no cut-off. */
  creative: { temperature: 1.3, topK: 0, topP: 1, greedy: false, maxTokens: 200, seed: 1 },
} as const satisfies Record<string, SampleConfig>;

/** The training recipe a model size trains with: a custom size takes nano's (batch 32, its rates). */
export function trainPresetFor(preset: ModelPresetName | 'custom'): TrainConfig {
  return TRAIN_PRESETS[preset === 'custom' ? 'nano' : preset];
}

/** The most steps one run may aim for (a learner's run is thousands; a typo's is 10¹²). */
export const MAX_TRAIN_STEPS = 1_000_000;

/** A number of steps to train: a whole number from 1 to MAX_TRAIN_STEPS. */
export function isTrainSteps(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_TRAIN_STEPS;
}

export function isModelPreset(name: string): name is ModelPresetName {
  return Object.prototype.hasOwnProperty.call(MODEL_PRESETS, name);
}

/** Why a model config is unusable, as notices a person can act on; [] when it is fine. */
export function validateModelConfig(c: ModelConfig): Notice[] {
  const errs: Notice[] = [];
  const posInt = (v: number, field: ModelField, max: number) => {
    if (!Number.isInteger(v) || v < 1) errs.push(notice('wholeNumber', { field, got: Number.isNaN(v) ? '' : String(v) }));
    else if (v > max) errs.push(notice('atMost', { field, max, got: v }));
  };
  posInt(c.nLayer, 'nLayer', 48);
  posInt(c.nHead, 'nHead', 64);
  posInt(c.nEmbd, 'nEmbd', 4096);
  posInt(c.blockSize, 'blockSize', 4096);
  if (Number.isInteger(c.nEmbd) && Number.isInteger(c.nHead) && c.nHead > 0 && c.nEmbd % c.nHead !== 0) {
    errs.push(notice('headsDivide', { embd: c.nEmbd, heads: c.nHead }));
  }
  if (!(c.dropout >= 0 && c.dropout < 1)) errs.push(notice('dropoutRange', { got: String(c.dropout) }));
  return errs;
}

/**
 * What one tab can hold while training. WebAssembly's memory ends at 4 GiB (wasm32), and a
 * browser seldom gives one page's WebGPU buffers more than that either.
 */
export const TRAINING_MEMORY_LIMIT_BYTES = 4 * 1024 ** 3;

/**
 * The least memory training this model can take, in bytes: what must exist at once and
 * cannot be avoided by any backend. AdamW keeps four float32s per parameter (the weight, its
 * gradient, the two moments), and during a step the logits (batch × context × vocabulary)
 * live beside one layer's attention probabilities (batch × heads × context², kept for the
 * backward pass). The true peak is higher (the other activations; `cpu` measured 115 MB
 * against a floor of 13 MB, `baby` 2.1 GB against 0.26 GB), so a model refused here could
 * never train, and one let through may still be slow.
 */
export function trainingMemoryFloor(c: SizedModelConfig, batchSize: number): number {
  const floats = 4 * paramCount(c) + batchSize * c.blockSize * (c.vocabSize + c.nHead * c.blockSize);
  return 4 * floats;
}

/** A model too large to train in a browser tab, as a notice ([] when it may fit). */
export function validateModelMemory(c: SizedModelConfig, batchSize: number): Notice[] {
  const need = trainingMemoryFloor(c, batchSize);
  return need > TRAINING_MEMORY_LIMIT_BYTES ? [notice('tooLargeToTrain', { need, limit: TRAINING_MEMORY_LIMIT_BYTES })] : [];
}

/**
 * Trainable parameters of a model (the output head shares the token embedding, so it
 * is counted once): embeddings + per block (2 layer norms, attention qkv + projection,
 * MLP up + down) + the final layer norm. Pure arithmetic, so the page can show the
 * size of a model before building it; tests check it against the real variables.
 */
export function paramCount(c: SizedModelConfig): number {
  const C = c.nEmbd;
  const perBlock = 2 * C + (C * 3 * C + 3 * C) + (C * C + C) + 2 * C + (C * 4 * C + 4 * C) + (4 * C * C + C);
  return c.vocabSize * C + c.blockSize * C + c.nLayer * perBlock + 2 * C;
}

/** Floating-point operations of one training step, nanoGPT's estimate: 6·N per token for the weights plus attention's 12·L·H·Q·T. */
export function trainingFlopsPerStep(c: SizedModelConfig, batchSize: number): number {
  const perToken = 6 * paramCount(c) + 12 * c.nLayer * c.nHead * (c.nEmbd / c.nHead) * c.blockSize;
  return perToken * batchSize * c.blockSize;
}
