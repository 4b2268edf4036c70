/**
 * The training loop's body, one step at a time. Nothing in this file knows about
 * workers, pages or files: a caller (CLI, worker session, test) calls `trainStep()`
 * as often as it likes — so pausing is simply not calling it — and reads the numbers.
 *
 * Reading a value back from the backend (`data()`) waits for the GPU to finish, so
 * `trainStep` reads nothing: losses stay on the device until `readLosses()` fetches
 * all pending ones at once, typically every `logEvery` steps.
 */
import * as tf from '@tensorflow/tfjs';
import { withLearningRate, type TrainConfig } from '../config';
import { getBatch, type Batch, type Dataset } from '../data/dataset';
import { mix } from '../util/rng';
import { crossEntropy, forward, type Formulation, type GPT } from '../model/gpt';
import { AdamW } from './adamw';
import { microBatchesFor, splitBatch } from './microBatch';
import { learningRateAt } from './schedule';
import { WebGPUWholeStep, wholeStepEnabled, wholeStepUnsupported } from './webgpu/wholeStep';

export interface LossPoint {
  step: number; // 1-based: the loss of the batch that step `step` trained on
  loss: number;
  gradNorm: number;
  lr: number;
}

export interface EvalResult {
  step: number;
  train: number;
  val: number;
}

interface Pending {
  step: number;
  lr: number;
  /** The step's loss and gradient norm, still on the device: two scalars, or one tensor [loss, norm]. */
  values: tf.Tensor[];
}

/** Mean next-token loss of the model on one batch (call inside tf.tidy). */
export function batchLoss(model: GPT, batch: Batch, training = false, dropoutSeed = 0, formulation: Formulation = 'fast'): tf.Scalar {
  const x = tf.tensor2d(batch.x, [batch.batchSize, batch.blockSize], 'int32');
  const y = tf.tensor1d(batch.y, 'int32');
  const { logits } = forward(model, x, { training, dropoutSeed, formulation });
  return crossEntropy(logits, y, formulation);
}

/** Seed offsets so eval batches never coincide with training batches. */
const EVAL_SALT = 0x5eed_e7a1;

export class Trainer {
  readonly optimizer: AdamW;
  /** Each batch runs as this many micro-batches (gradient accumulation, train/microBatch.ts). */
  readonly microBatches: number;
  /** Steps completed. */
  step: number;
  private pending: Pending[] = [];
  private lastRead = { time: now(), step: 0 };
  private lastTokensPerSec = 0;
  /** The whole step as one WebGPU pass (train/webgpu/), once tried: null where it cannot run. */
  private whole?: WebGPUWholeStep | null;

  constructor(
    readonly model: GPT,
    readonly data: Dataset,
    cfg: TrainConfig,
    startStep = 0,
    /** 'reference' trains with the straightforward maths (tests and the benchmark compare). */
    readonly formulation: Formulation = 'fast',
  ) {
    this.config = cfg;
    this.optimizer = new AdamW(model.named, cfg, formulation === 'fast');
    this.microBatches = cfg.microBatches || microBatchesFor(model.config, cfg.batchSize);
    if (cfg.batchSize % this.microBatches !== 0) {
      throw new Error(`a batch of ${cfg.batchSize} sequences cannot be split into ${this.microBatches} equal micro-batches`);
    }
    this.step = startStep;
    this.lastRead.step = startStep;
  }

  private config: TrainConfig;

  /** The training settings (the learning rate's schedule among them). */
  get cfg(): TrainConfig {
    return this.config;
  }

  /**
   * Go on with another peak learning rate: a schedule of its own from this step (a short
   * warm-up to the new peak, then the cosine down to its floor over `decaySteps`), as a
   * fork's. What a learner does after a diverged run — lower the rate and resume from the
   * last good weights — or to train a finished run on at a rate that still moves it (the old
   * schedule is at its floor there, where a new peak would not show).
   */
  restartSchedule(lr: number, decaySteps: number): void {
    const peaked = withLearningRate(this.config, lr);
    this.config = { ...peaked, scheduleFrom: this.step, decaySteps: Math.max(Math.round(decaySteps), peaked.warmupSteps + 1) };
  }

  get tokensPerStep(): number {
    return this.cfg.batchSize * this.model.config.blockSize;
  }

  /** Learning rate the next step will use. */
  get lr(): number {
    return learningRateAt(this.step, this.cfg);
  }

  /**
   * A rough time for one step, measured now: one sequence's forward pass (read back, so the
   * time is the backend's), ×3 for the backward pass, ×the batch. Taken before a run's first
   * step, so a watchdog knows that a big model's first step may take minutes. An overestimate
   * where small passes run less efficiently than big ones, which is the safe side for that.
   */
  probeStepMs(): number {
    const { seed } = this.cfg;
    const T = this.model.config.blockSize;
    const batch = getBatch(this.data.train, 1, T, seed, this.step);
    const t0 = now();
    tf.tidy(() => batchLoss(this.model, batch).dataSync());
    return (now() - t0) * 3 * this.cfg.batchSize;
  }

  /**
   * The WebGPU whole-step engine for this run, made on first use; null where it cannot run
   * (another backend, dropout, micro-batches…) or where the GPU refused one of its kernels.
   * (Public for the benchmark, which profiles it.)
   */
  wholeStep(): WebGPUWholeStep | null {
    if (this.whole === undefined) {
      const why = wholeStepEnabled() ? wholeStepUnsupported(this.model, this.cfg, this.microBatches, this.formulation) : 'turned off';
      this.whole = why ? null : new WebGPUWholeStep(this.model, this.optimizer, this.cfg);
      if (this.whole) this.optimizer.beforeRead = () => this.whole?.flushMoments();
    }
    if (this.whole && (this.whole.failure || tf.getBackend() !== 'webgpu')) {
      console.warn(`[folio] the WebGPU whole step stops (${this.whole.failure ?? 'backend changed'}); steps run through tfjs`);
      this.dropWholeStep();
      this.whole = null;
    }
    return this.whole;
  }

  private dropWholeStep(): void {
    this.whole?.flushMoments();
    this.whole?.dispose();
    this.optimizer.beforeRead = undefined;
  }

  /** Run one optimisation step. Synchronous; reads nothing back from the backend. */
  trainStep(): void {
    const { batchSize, seed } = this.cfg;
    const lr = this.lr;
    const batch = getBatch(this.data.train, batchSize, this.model.config.blockSize, seed, this.step);
    const whole = this.wholeStep();
    if (whole) {
      const values = whole.step(batch, lr);
      this.step += 1;
      this.pending.push({ step: this.step, lr, values: [values] });
      return;
    }
    const vars = this.model.named.map((p) => p.variable);
    const dropoutSeed = mix(seed, this.step, 0xd0);
    const parts = splitBatch(batch, this.microBatches);
    const { loss, norm } = tf.tidy(() => {
      // One micro-batch's share of the step: its mean loss / k, so the summed gradients are
      // those of the whole batch's mean loss. (k = 1 is the whole batch, unscaled.)
      const partGrads = (part: (typeof parts)[number], i: number) =>
        tf.variableGrads(() => {
          const l = batchLoss(this.model, part, true, parts.length === 1 ? dropoutSeed : mix(dropoutSeed, i), this.formulation);
          return parts.length === 1 ? l : tf.mul(l, 1 / parts.length);
        }, vars);
      let { value, grads } = partGrads(parts[0]!, 0);
      for (let i = 1; i < parts.length; i++) {
        // Sum as we go and free what was summed: k sets of gradients never coexist.
        const next = partGrads(parts[i]!, i);
        const summed = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.add(g, next.grads[name]!)]));
        const total = tf.add(value, next.value) as tf.Scalar;
        tf.dispose([value, next.value, ...Object.values(grads), ...Object.values(next.grads)]);
        [grads, value] = [summed, total];
      }
      const byName = new Map(this.model.named.map((p) => [p.name, grads[p.variable.name]!] as const));
      const norm = this.optimizer.apply(byName, lr);
      return { loss: value, norm };
    });
    this.step += 1;
    this.pending.push({ step: this.step, lr, values: [loss, norm] });
  }

  /** Fetch the losses of all steps since the last read (one backend sync). */
  async readLosses(): Promise<LossPoint[]> {
    const pending = this.pending;
    this.pending = [];
    if (pending.length === 0) return [];
    const packed = tf.tidy(() => tf.concat(pending.flatMap((p) => p.values.map((v) => v.reshape([-1])))));
    const values = await packed.data();
    packed.dispose();
    for (const p of pending) tf.dispose(p.values);
    const t = now();
    const steps = this.step - this.lastRead.step;
    if (t > this.lastRead.time && steps > 0) {
      this.lastTokensPerSec = (steps * this.tokensPerStep) / ((t - this.lastRead.time) / 1000);
    }
    this.lastRead = { time: t, step: this.step };
    return pending.map((p, i) => ({ step: p.step, lr: p.lr, loss: values[2 * i]!, gradNorm: values[2 * i + 1]! }));
  }

  /** Training throughput over the window ending at the last `readLosses`. */
  get tokensPerSec(): number {
    return this.lastTokensPerSec;
  }

  /** Restart the throughput clock (after a pause, so idle time is not counted). */
  resetClock(): void {
    this.lastRead = { time: now(), step: this.step };
  }

  /**
   * Loss on `evalBatches` fixed batches of each split. Fixed (not fresh) batches make
   * successive estimates comparable: the curve moves because the model changed.
   */
  async evaluate(): Promise<EvalResult> {
    const { evalBatches, batchSize, seed } = this.cfg;
    const T = this.model.config.blockSize;
    const mean = (stream: Int32Array) =>
      tf.tidy(() => {
        const losses: tf.Scalar[] = [];
        for (let k = 0; k < evalBatches; k++) {
          // Each forward pass in its own tidy (its activations freed before the next), and
          // in the step's micro-batches: the eval batch is as large as a training one.
          for (const part of splitBatch(getBatch(stream, batchSize, T, mix(seed, EVAL_SALT), k), this.microBatches)) {
            losses.push(tf.tidy(() => batchLoss(this.model, part, false, 0, this.formulation)));
          }
        }
        return tf.mean(tf.stack(losses));
      });
    const both = tf.tidy(() => tf.stack([mean(this.data.train), mean(this.data.val)]));
    const [train, val] = await both.data();
    both.dispose();
    return { step: this.step, train: train!, val: val! };
  }

  /**
   * Mean next-token loss over every window of `stream`, each token once: windows of the
   * context laid end to end (the last partial one dropped), run a batch at a time. Each
   * position of the context is as common as in random windows, so this estimates the same
   * loss as `evaluate` (and nanoGPT's estimate_loss) without their sampling noise — at the
   * cost of a pass over the whole split (the `cpu` preset's Shakespeare val: 1,742 windows).
   */
  async evaluateFull(stream: Int32Array): Promise<number> {
    const perPass = this.cfg.batchSize / this.microBatches; // a micro-batch's activations at most
    const T = this.model.config.blockSize;
    const windows = Math.floor((stream.length - 1) / T);
    if (windows < 1) throw new Error(`a split of ${stream.length} tokens holds no window of ${T + 1}`);
    // Each pass's summed loss stays on the device (its activations freed as it ends); one read at the end.
    const sums: tf.Scalar[] = [];
    for (let w0 = 0; w0 < windows; w0 += perPass) {
      const n = Math.min(perPass, windows - w0); // the last pass may be short
      const x = stream.slice(w0 * T, (w0 + n) * T);
      const y = stream.slice(w0 * T + 1, (w0 + n) * T + 1);
      sums.push(tf.tidy(() => tf.mul(batchLoss(this.model, { x, y, batchSize: n, blockSize: T }, false, 0, this.formulation), n)));
    }
    const total = tf.tidy(() => tf.sum(tf.stack(sums)));
    const value = (await total.data())[0]!;
    tf.dispose([total, ...sums]);
    return value / windows;
  }

  /** Free the optimizer state and any unread losses (the model belongs to the caller). */
  dispose(): void {
    for (const p of this.pending) tf.dispose(p.values);
    this.pending = [];
    this.dropWholeStep();
    this.whole = null;
    this.optimizer.dispose();
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
