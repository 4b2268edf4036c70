/**
 * RLHF as the article draws it: a reward model learns the person's preferences, then the
 * policy learns from its own samples, rewarded by the reward model and held to the
 * reference by β·KL. (See preference.ts for DPO, the direct alternative.)
 */
import * as tf from '@tensorflow/tfjs';
import { disposeGPT, forward, type GPT, type NamedParam } from '../../model/gpt';
import { addLora, frozenView, trainableParams } from '../../model/lora';
import { mix } from '../../util/rng';
import type { AdamW } from '../adamw';
import type { PretrainText } from './pretrainText';
import { sampleCompletions } from './sampling';
import { BaseTuner, asExamples, drawBatch, logSigmoid, lrAt, optimise, optimiseKeeping, optimizerFor, type Pair, type TuneConfig } from './tuners';
import { allLogProbs, continuationKl, continuationLogProbs, copyGPT, pack, type Example } from './tuning';

/** The policy's network with a scalar head on the last token's hidden state. */
export class RewardModel {
  readonly net: GPT;
  readonly head: { w: tf.Variable; b: tf.Variable };
  readonly params: NamedParam[];

  constructor(from: GPT) {
    // A LoRA policy's reward model: the same frozen base (shared, not copied) with adapters of its own.
    this.net = from.lora ? frozenView(from, false) : copyGPT(from);
    const C = from.config.nEmbd;
    this.head = tf.tidy(() => ({ w: tf.variable(tf.zeros([C, 1]), true), b: tf.variable(tf.zeros([1]), true) })); // tidy frees the zeros
    if (from.lora) addLora(this.net, from.lora.config, 0x5eed);
    this.params = [
      ...trainableParams(this.net),
      { name: 'rm.head.w', variable: this.head.w, decay: false },
      { name: 'rm.head.b', variable: this.head.b, decay: false },
    ];
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

/** Whether the reward rose over the policy steps, and by how much (see `RlhfTuner.verdict`). */
export interface RlhfVerdict {
  rose: boolean;
  /** The preferred answers of the held-out pairs, their mean probability under the reference and now. */
  preferredBefore: number;
  preferredNow: number;
  /** The mean reward of samples on the held-out prompts: the reference's (before) and the policy's (now), drawn alike. */
  from: number;
  to: number;
  policySteps: number;
  winRate: number;
}

/** Prompts of pairs, each once, in order. */
const distinctPrompts = (pairs: readonly Pair[]): number[][] => [...new Map(pairs.map((p) => [p.prompt.join(','), p.prompt])).values()];

/**
 * Pairs split into those that train and those held out to measure the reward model and
 * the policy: every fifth distinct prompt with all its pairs when there are five prompts
 * or more (a held-out prompt is one neither model trained on), else every fifth pair,
 * else none (fewer than five pairs all train, and are measured on).
 */
export function holdOut(pairs: readonly Pair[]): { train: Pair[]; heldOut: Pair[] } {
  const prompts = distinctPrompts(pairs).map((p) => p.join(','));
  if (prompts.length >= 5) {
    const held = new Set(prompts.filter((_, i) => i % 5 === 4));
    return { train: pairs.filter((p) => !held.has(p.prompt.join(','))), heldOut: pairs.filter((p) => held.has(p.prompt.join(','))) };
  }
  if (pairs.length >= 5) return { train: pairs.filter((_, i) => i % 5 !== 4), heldOut: pairs.filter((_, i) => i % 5 === 4) };
  return { train: [...pairs], heldOut: [...pairs] };
}

const mean = (a: readonly number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN);

/**
 * RLHF: first the reward model learns the pairs (`rmSteps` steps; its accuracy is measured
 * on the held-out pairs), then the policy learns by policy gradient on whole completions
 * it samples itself — `samples` per prompt, up to the longest preferred answer or a
 * sentence's end — scored by the reward model. Each sample's baseline is the mean score of
 * the other samples of its prompt (RLOO: unbiased, and a prompt whose samples all score
 * alike teaches nothing), in units of the reward model's margin on the pairs; β·KL to the reference (exact over
 * the vocabulary at each sampled position, as GRPO puts it in the loss) and the hold on
 * its predictions on pre-training text keep the rest of the model where it was.
 */
export class RlhfTuner extends BaseTuner {
  readonly method = 'rlhf';
  readonly rewardModel: RewardModel;
  private readonly rmOpt: AdamW;
  private readonly opt: AdamW;
  private readonly train: readonly Pair[];
  private readonly heldOut: readonly Pair[];
  /** Tokens a completion may run to: the longest preferred answer's. */
  private readonly maxNew: number;
  private rmAccuracy = NaN;
  private winRate = NaN;
  private winAt = -1;
  private preferred = { before: NaN, now: NaN };
  private heldOutReward = { before: NaN, now: NaN };
  /** The reward model's margin on the pairs once it is trained: the unit of the advantages. */
  private margin = NaN;
  /** Policy steps taken. */
  private rewardSteps = 0;

  constructor(
    readonly policy: GPT,
    private readonly reference: GPT,
    pairs: readonly Pair[],
    private readonly cfg: TuneConfig,
    private readonly pretrain?: PretrainText,
    private readonly ends: ReadonlySet<number> = new Set(),
  ) {
    super();
    this.rewardModel = new RewardModel(policy);
    this.rmOpt = optimizerFor(this.rewardModel.params);
    this.opt = optimizerFor(trainableParams(policy));
    ({ train: this.train, heldOut: this.heldOut } = holdOut(pairs));
    this.maxNew = Math.max(1, ...pairs.map((p) => p.chosen.length));
  }

  get model(): GPT {
    return this.policy;
  }

  /** Steps of reward-model training before the policy's. */
  get rmSteps(): number {
    return this.cfg.rmSteps;
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
      this.lr = 3 * lrAt(this.cfg, step);
      const loss = optimise(this.rmOpt, this.rewardModel.params, this.lr, () => this.rewardModel.loss(batch));
      if ((step + 1) % 10 === 0 || step + 1 === this.cfg.rmSteps) this.rmAccuracy = await this.rewardModel.accuracy(this.heldOut);
      this.pending.push({ step: ++this.step, loss, rmAccuracy: this.rmAccuracy });
      return;
    }
    // Half a batch of prompts, `samples` completions each: twice the batch's sequences, half its prompts.
    const k = Math.max(2, this.cfg.samples);
    const prompts = drawBatch(this.train, Math.ceil(this.cfg.batchSize / 2), this.cfg.seed, step).flatMap((p) => Array.from({ length: k }, () => p.prompt));
    const samples = await sampleCompletions(this.policy, prompts, this.maxNew, this.ends, mix(this.cfg.seed, step, 0x5a));
    const examples = prompts.map((prompt, i) => ({ prompt, completion: samples[i]! }));
    const packed = pack(examples, this.policy.config.blockSize);
    if (step === this.cfg.rmSteps || !Number.isFinite(this.margin)) this.margin = await this.measureMargin();
    const scores = await this.scores(examples);
    const advantage = tf.tensor1d(this.advantages(scores, k));
    const refLogProbs = tf.tidy(() => allLogProbs(this.reference, packed));
    let kl: tf.Scalar | undefined;
    const cfg = { ...this.cfg, lr: (this.lr = lrAt(this.cfg, step - this.cfg.rmSteps)) };
    const r = optimiseKeeping(this.opt, this.policy, this.reference, cfg, step, this.pretrain, () => {
      const pg = tf.neg(tf.mean(tf.mul(continuationLogProbs(this.policy, packed), advantage)));
      kl = tf.keep(tf.mean(continuationKl(this.policy, refLogProbs, packed))) as tf.Scalar;
      return tf.add(pg, tf.mul(kl, this.cfg.beta)) as tf.Scalar;
    });
    tf.dispose([advantage, refLogProbs]);
    const klValue = (await kl!.data())[0]!;
    kl!.dispose();
    const m = mean(scores);
    this.rewardSteps++;
    if ((step + 1 - this.cfg.rmSteps) % 20 === 0) await this.measureWinRate(step + 1);
    this.pending.push({ step: ++this.step, ...r, reward: m, kl: klValue, rmAccuracy: this.rmAccuracy, winRate: this.winRate });
  }

  /** The reward model's scores of prompt + completion, as numbers. */
  private async scores(examples: readonly Example[]): Promise<number[]> {
    const t = tf.tidy(() => this.rewardModel.score(examples));
    const v = Array.from(await t.data());
    t.dispose();
    return v;
  }

  /**
   * RLOO: each sample's score minus the mean of its prompt's other samples, in units of the
   * reward model's margin on the person's pairs. A fixed unit, not the batch's spread:
   * samples the reward model scores alike (within a hair) must not be pushed apart as if
   * the person had preferred one — scaled by the spread, that noise became a full signal
   * and the policy wandered to words nobody rated.
   */
  private advantages(scores: readonly number[], k: number): number[] {
    return scores.map((s, i) => {
      const group = scores.slice(i - (i % k), i - (i % k) + k);
      return (s - (group.reduce((x, y) => x + y, 0) - s) / (k - 1)) / this.margin;
    });
  }

  /** The reward model's mean margin |r(chosen) − r(rejected)| on (up to 64 of) the training pairs. */
  private async measureMargin(): Promise<number> {
    const pairs = this.train.slice(0, 64);
    const [c, r] = [await this.scores(asExamples(pairs, 'chosen')), await this.scores(asExamples(pairs, 'rejected'))];
    return Math.max(1e-3, mean(c.map((x, i) => Math.abs(x - r[i]!))));
  }

  /**
   * The policy against the reference on the held-out prompts: 64 samples in all (at least
   * 8 a prompt) from each, with the same random draws — where the two models agree they
   * write the same text — scored by the reward model. A win counts 1, a tie ½; the mean
   * scores are the reward before and now, with far less noise than a training batch's.
   */
  private async measureWinRate(at: number): Promise<void> {
    const distinct = distinctPrompts(this.heldOut).slice(0, 16);
    const each = Math.max(8, Math.floor(64 / Math.max(1, distinct.length)));
    const prompts = distinct.flatMap((p) => Array.from({ length: each }, () => p));
    if (!prompts.length) return;
    const seed = mix(this.cfg.seed, 0x3f1);
    const score = async (model: GPT) =>
      this.scores((await sampleCompletions(model, prompts, this.maxNew, this.ends, seed)).map((c, i) => ({ prompt: prompts[i]!, completion: c })));
    const [mine, theirs] = [await score(this.policy), await score(this.reference)];
    this.winRate = mean(mine.map((s, i) => (s > theirs[i]! + 1e-6 ? 1 : s < theirs[i]! - 1e-6 ? 0 : 0.5)));
    this.heldOutReward = { before: mean(theirs), now: mean(mine) };
    this.winAt = at;
    if (Number.isNaN(this.preferred.before)) this.preferred.before = await this.preferredProb(this.reference);
    this.preferred.now = await this.preferredProb(this.policy);
  }

  /** The mean probability `model` gives the preferred answers of (up to 32) held-out pairs. */
  private async preferredProb(model: GPT): Promise<number> {
    const pairs = this.heldOut.slice(0, 32);
    const t = tf.tidy(() => tf.exp(continuationLogProbs(model, pack(asExamples(pairs, 'chosen'), model.config.blockSize))));
    const v = Array.from(await t.data());
    t.dispose();
    return mean(v);
  }

  /** The last win rate, measured at the stage's last step if it was not already. */
  async finish(): Promise<void> {
    if (this.rewardPhase || this.winAt === this.step) return;
    await this.measureWinRate(this.step);
    const last = this.pending.at(-1);
    if (last?.step === this.step) last.winRate = this.winRate;
  }

  /**
   * Whether the reward rose: the policy's mean reward on the held-out prompts against the
   * reference's (measured at the last step, see `finish`), by at least a tenth of the reward
   * model's margin on the pairs (its own scale: its scores have no fixed zero or unit).
   * Undefined before any policy step.
   */
  verdict(): RlhfVerdict | undefined {
    const n = this.rewardSteps;
    if (n === 0 || Number.isNaN(this.heldOutReward.now)) return undefined;
    const { before: from, now: to } = this.heldOutReward;
    const { before, now } = this.preferred;
    return { rose: to - from > 0.1 * this.margin, from, to, policySteps: n, winRate: this.winRate, preferredBefore: before, preferredNow: now };
  }

  override dispose(): void {
    super.dispose();
    this.rewardModel.dispose();
    this.rmOpt.dispose();
    this.opt.dispose();
  }
}
