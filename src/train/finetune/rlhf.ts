/**
 * RLHF as the article draws it: a reward model learns the person's preferences, then the
 * policy learns from its own samples, rewarded by the reward model and held to the
 * reference by β·KL. (See preference.ts for DPO, the direct alternative.)
 */
import * as tf from '@tensorflow/tfjs';
import { disposeGPT, forward, type GPT, type NamedParam } from '../../model/gpt';
import { Rng, mix } from '../../util/rng';
import type { AdamW } from '../adamw';
import { BaseTuner, asExamples, drawBatch, logSigmoid, optimise, optimizerFor, type Pair, type TuneConfig } from './tuners';
import { allLogProbs, continuationKl, continuationLogProbs, copyGPT, pack, type Example } from './tuning';

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
        const idx = tf.tensor1d(
          ctx.map((c, b) => b * L + c.length - 1),
          'int32',
        );
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
