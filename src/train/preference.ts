/**
 * Learning from human feedback, for real: preference pairs (a prompt, the continuation a
 * person chose, the one they rejected) move the model two ways.
 *
 * - DPO (direct preference optimisation): raise log π(chosen) − log π(rejected) relative to
 *   a frozen reference model: loss = −log σ(β·[(log π(c) − log π_ref(c)) − (log π(r) − log π_ref(r))]).
 *   β·[…] is the implicit reward margin.
 * - RLHF as the article draws it: a reward model (the network with a scalar head) learns
 *   the preferences (Bradley–Terry: −log σ(r(c) − r(r))), then the policy learns by
 *   policy gradient on its own samples, rewarded by the reward model and held to the
 *   reference by β·KL (exact over the vocabulary, in the loss as GRPO does). With β small
 *   the policy drifts far from the reference to please the reward model: reward hacking.
 *
 * No DOM: the CLI, the worker and the tests run this file as it is.
 */
import * as tf from '@tensorflow/tfjs';
import { disposeGPT, forward, type GPT, type NamedParam } from '../model/gpt';
import { Rng, mix } from '../util/rng';
import { AdamW } from './adamw';
import { allLogProbs, continuationKl, continuationLogProbs, copyGPT, maskedLoss, pack, type Example } from './tuning';

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

const optimizerFor = (params: NamedParam[]) => new AdamW(params, { beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0, gradClip: 1 }, true);

/** `n` items drawn (seeded by step) from `items`. */
export function drawBatch<T>(items: readonly T[], n: number, seed: number, step: number): T[] {
  const rng = new Rng(mix(seed, step, 0xf1));
  return Array.from({ length: Math.min(n, items.length) }, () => items[Math.floor(rng.next() * items.length)]!);
}

/** One optimiser step of `params` on `loss` (a closure over the model). Returns the loss, on the device. */
function optimise(opt: AdamW, params: NamedParam[], lr: number, loss: () => tf.Scalar): tf.Scalar {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(loss, params.map((p) => p.variable));
    opt.apply(new Map(params.map((p) => [p.name, grads[p.variable.name]!] as const)), lr);
    return value;
  });
}

/**
 * log σ(z) = −softplus(−z). (tfjs 4.22's own logSigmoid keeps its input in a closure that
 * is freed before the backward pass, so its gradient fails.)
 */
const logSigmoid = (z: tf.Tensor) => tf.neg(tf.softplus(tf.neg(z)));

const asExamples = (pairs: readonly Pair[], which: 'chosen' | 'rejected'): Example[] => pairs.map((p) => ({ prompt: p.prompt, completion: p[which] }));

// ---------------------------------------------------------------------------------
// DPO

/** The reference's log π(chosen) − log π(rejected) per pair: a constant of the DPO step. */
export function referenceMargins(reference: GPT, pairs: readonly Pair[]): tf.Tensor1D {
  const blockSize = reference.config.blockSize;
  return tf.tidy(() => tf.sub(continuationLogProbs(reference, pack(asExamples(pairs, 'chosen'), blockSize)), continuationLogProbs(reference, pack(asExamples(pairs, 'rejected'), blockSize))));
}

/**
 * DPO's loss and implicit reward margin for a batch, given the reference's margins (call
 * inside tf.tidy). `nll` adds that weight times the chosen continuation's mean negative
 * log-likelihood per token (DPO + NLL, as in Pang et al. 2024): pure DPO (nll = 0) only
 * cares about the *difference* of the two log-probabilities, and on a small model it
 * happily lowers both and hands the mass to a third token (here: a second space after
 * "the ") — likelihood displacement. The NLL term anchors the chosen answer.
 */
export function dpoLoss(policy: GPT, pairs: readonly Pair[], refMargins: tf.Tensor1D, beta: number, nll = 0): { loss: tf.Scalar; margin: tf.Scalar } {
  const blockSize = policy.config.blockSize;
  const [c, r] = [pack(asExamples(pairs, 'chosen'), blockSize), pack(asExamples(pairs, 'rejected'), blockSize)];
  const chosen = continuationLogProbs(policy, c);
  const z = tf.mul(tf.sub(tf.sub(chosen, continuationLogProbs(policy, r)), refMargins), beta);
  const dpo = tf.neg(tf.mean(logSigmoid(z)));
  if (nll <= 0) return { loss: dpo as tf.Scalar, margin: tf.mean(z) as tf.Scalar };
  const tokens = tf.tensor1d(pairs.map((p) => Math.max(1, p.chosen.length)));
  const anchor = tf.mul(tf.neg(tf.mean(tf.div(chosen, tokens))), nll);
  return { loss: tf.add(dpo, anchor) as tf.Scalar, margin: tf.mean(z) as tf.Scalar };
}

// ---------------------------------------------------------------------------------
// Reward model

/** The policy's network with a scalar head on the last token's hidden state. */
export class RewardModel {
  readonly net: GPT;
  readonly head: { w: tf.Variable; b: tf.Variable };
  readonly params: NamedParam[];

  constructor(from: GPT) {
    this.net = copyGPT(from);
    const C = from.config.nEmbd;
    this.head = tf.tidy(() => ({ w: tf.variable(tf.zeros([C, 1]), true), b: tf.variable(tf.zeros([1]), true) })); // tidy frees the zeros
    this.params = [...this.net.named, { name: 'rm.head.w', variable: this.head.w, decay: false }, { name: 'rm.head.b', variable: this.head.b, decay: false }];
  }

  /** Scores of prompt ++ continuation, (B) (call inside tf.tidy). */
  score(examples: readonly Example[]): tf.Tensor1D {
    const T = this.net.config.blockSize;
    const seqs = examples.map((e) => [...e.prompt, ...e.completion].slice(-T));
    const L = Math.max(...seqs.map((s) => s.length));
    const x = new Int32Array(seqs.length * L);
    const last = new Int32Array(seqs.length);
    seqs.forEach((s, b) => {
      x.set(s, b * L);
      last[b] = b * L + s.length - 1;
    });
    const { hidden } = forward(this.net, tf.tensor2d(x, [seqs.length, L], 'int32'), { returnHidden: true });
    const h = tf.gather(hidden!, tf.tensor1d(last, 'int32')); // (B, C): each sequence's last token
    return tf.add(tf.matMul(h, this.head.w), this.head.b).reshape([seqs.length]) as tf.Tensor1D;
  }

  /** Bradley–Terry loss on pairs (call inside tf.tidy). */
  loss(pairs: readonly Pair[]): tf.Scalar {
    return tf.neg(tf.mean(logSigmoid(tf.sub(this.score(asExamples(pairs, 'chosen')), this.score(asExamples(pairs, 'rejected')))))) as tf.Scalar;
  }

  /** Share of pairs it ranks as the person did. */
  async accuracy(pairs: readonly Pair[]): Promise<number> {
    if (pairs.length === 0) return NaN;
    const d = tf.tidy(() => tf.sub(this.score(asExamples(pairs, 'chosen')), this.score(asExamples(pairs, 'rejected'))));
    const v = await d.data();
    d.dispose();
    return v.filter((x) => x > 0).length / v.length;
  }

  dispose(): void {
    disposeGPT(this.net);
    tf.dispose([this.head.w, this.head.b]);
  }
}

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

type Pending = { step: number; loss: tf.Scalar; margin?: tf.Scalar; reward?: number; kl?: number; rmAccuracy?: number };

/** What the tuners share: the pending metrics and their read-back. */
abstract class BaseTuner implements Tuner {
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

/** Instruction tuning: the masked next-token loss on prompt → completion examples. */
export class SftTuner extends BaseTuner {
  readonly method = 'sft';
  private readonly opt: AdamW;

  constructor(
    readonly model: GPT,
    private readonly examples: readonly Example[],
    private readonly cfg: TuneConfig,
  ) {
    super();
    this.opt = optimizerFor(model.named);
  }

  async trainStep(): Promise<void> {
    const batch = pack(drawBatch(this.examples, this.cfg.batchSize, this.cfg.seed, this.step), this.model.config.blockSize);
    const loss = optimise(this.opt, this.model.named, this.cfg.lr, () => maskedLoss(this.model, batch));
    this.pending.push({ step: ++this.step, loss });
  }

  override dispose(): void {
    super.dispose();
    this.opt.dispose();
  }
}

/** DPO on preference pairs against a frozen reference. */
export class DpoTuner extends BaseTuner {
  readonly method = 'dpo';
  private readonly opt: AdamW;

  constructor(
    readonly policy: GPT,
    private readonly reference: GPT,
    private readonly pairs: readonly Pair[],
    private readonly cfg: TuneConfig,
  ) {
    super();
    this.opt = optimizerFor(policy.named);
  }

  async trainStep(): Promise<void> {
    const batch = drawBatch(this.pairs, this.cfg.batchSize, this.cfg.seed, this.step);
    const ref = referenceMargins(this.reference, batch);
    let margin: tf.Scalar | undefined;
    const loss = optimise(this.opt, this.policy.named, this.cfg.lr, () => {
      const r = dpoLoss(this.policy, batch, ref, this.cfg.beta, this.cfg.nll);
      margin = tf.keep(r.margin);
      return r.loss;
    });
    ref.dispose();
    this.pending.push({ step: ++this.step, loss, margin: margin! });
  }

  override dispose(): void {
    super.dispose();
    this.opt.dispose();
  }
}

/**
 * RLHF: first the reward model learns the pairs (`rmSteps` steps; its accuracy is measured
 * on the fifth of the pairs it never trains on), then the policy learns by policy gradient
 * (REINFORCE with the batch's mean as baseline) on its own samples, rewarded by the reward
 * model minus β·KL to the reference.
 */
export class RlhfTuner extends BaseTuner {
  readonly method = 'rlhf';
  readonly rewardModel: RewardModel;
  private readonly rmOpt: AdamW;
  private readonly opt: AdamW;
  private readonly train: readonly Pair[];
  private readonly heldOut: readonly Pair[];
  private rmAccuracy = NaN;

  constructor(
    readonly policy: GPT,
    private readonly reference: GPT,
    pairs: readonly Pair[],
    private readonly cfg: TuneConfig,
  ) {
    super();
    this.rewardModel = new RewardModel(policy);
    this.rmOpt = optimizerFor(this.rewardModel.params);
    this.opt = optimizerFor(policy.named);
    // Every fifth pair is held out (all of them train when there are fewer than five).
    const held = pairs.length >= 5 ? pairs.filter((_, i) => i % 5 === 4) : [];
    this.train = pairs.length >= 5 ? pairs.filter((_, i) => i % 5 !== 4) : pairs;
    this.heldOut = held.length ? held : pairs;
  }

  /** Whether the next step trains the reward model (else the policy). */
  get rewardPhase(): boolean {
    return this.step < this.cfg.rmSteps;
  }

  async trainStep(): Promise<void> {
    const step = this.step;
    if (this.rewardPhase) {
      const batch = drawBatch(this.train, this.cfg.batchSize, this.cfg.seed, step);
      // The reward model starts from a blank head: it learns at three times the policy's rate.
      const loss = optimise(this.rmOpt, this.rewardModel.params, 3 * this.cfg.lr, () => this.rewardModel.loss(batch));
      if ((step + 1) % 10 === 0 || step + 1 === this.cfg.rmSteps) this.rmAccuracy = await this.rewardModel.accuracy(this.heldOut);
      this.pending.push({ step: ++this.step, loss, rmAccuracy: this.rmAccuracy });
      return;
    }
    const prompts = drawBatch(this.train, this.cfg.batchSize, this.cfg.seed, step).map((p) => p.prompt);
    const samples = await this.sample(prompts, mix(this.cfg.seed, step, 0x5a));
    const examples = prompts.map((prompt, i) => ({ prompt, completion: samples[i]! }));
    const packed = pack(examples, this.policy.config.blockSize);
    // The reward model scores each sample; the advantage is the score against the batch's
    // mean (a baseline lowers the gradient's variance without biasing it).
    const scoresT = tf.tidy(() => this.rewardModel.score(examples));
    const scores = Array.from(await scoresT.data());
    scoresT.dispose();
    const baseline = scores.reduce((a, b) => a + b, 0) / scores.length;
    const advantage = tf.tensor1d(scores.map((r) => r - baseline));
    // The KL to the reference is in the loss, exact over the vocabulary at each sampled
    // position (as GRPO does): β·KL holds the policy near the reference, and a small β lets
    // it wander off to whatever the reward model over-rates.
    const refLogProbs = tf.tidy(() => allLogProbs(this.reference, packed));
    let kl: tf.Scalar | undefined;
    const loss = optimise(this.opt, this.policy.named, this.cfg.lr, () => {
      const pg = tf.neg(tf.mean(tf.mul(continuationLogProbs(this.policy, packed), advantage)));
      kl = tf.keep(tf.mean(continuationKl(this.policy, refLogProbs, packed))) as tf.Scalar;
      return tf.add(pg, tf.mul(kl, this.cfg.beta)) as tf.Scalar;
    });
    tf.dispose([advantage, refLogProbs]);
    const klValue = (await kl!.data())[0]!;
    kl!.dispose();
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    this.pending.push({ step: ++this.step, loss, reward: mean(scores), kl: klValue, rmAccuracy: this.rmAccuracy });
  }

  /** `sampleTokens` tokens from the policy after each prompt (temperature 1, seeded). */
  private async sample(prompts: number[][], seed: number): Promise<number[][]> {
    const rng = new Rng(seed);
    const T = this.policy.config.blockSize;
    const out = prompts.map(() => [] as number[]);
    for (let k = 0; k < this.cfg.sampleTokens; k++) {
      const ctx = prompts.map((p, i) => [...p, ...out[i]!].slice(-T));
      const L = Math.max(...ctx.map((c) => c.length));
      const x = new Int32Array(ctx.length * L);
      ctx.forEach((c, b) => x.set(c, b * L));
      const probs = tf.tidy(() => {
        const { logits } = forward(this.policy, tf.tensor2d(x, [ctx.length, L], 'int32'));
        const idx = tf.tensor1d(ctx.map((c, b) => b * L + c.length - 1), 'int32');
        return tf.softmax(tf.gather(logits.reshape([ctx.length * L, -1]), idx));
      });
      const p = await probs.data();
      probs.dispose();
      const V = p.length / ctx.length;
      ctx.forEach((_, b) => {
        let u = rng.next();
        let id = V - 1;
        for (let v = 0; v < V; v++) {
          u -= p[b * V + v]!;
          if (u <= 0) {
            id = v;
            break;
          }
        }
        out[b]!.push(id);
      });
    }
    return out;
  }

  override dispose(): void {
    super.dispose();
    this.rewardModel.dispose();
    this.rmOpt.dispose();
    this.opt.dispose();
  }
}

/** A tuner for `method` (DPO and RLHF need pairs, SFT examples; both need a reference but SFT). */
export function makeTuner(method: TuneMethod, policy: GPT, reference: GPT, data: { examples?: readonly Example[]; pairs?: readonly Pair[] }, cfg: TuneConfig): Tuner {
  if (method === 'sft') return new SftTuner(policy, data.examples ?? [], cfg);
  if (method === 'dpo') return new DpoTuner(policy, reference, data.pairs ?? [], cfg);
  return new RlhfTuner(policy, reference, data.pairs ?? [], cfg);
}
