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
 * This file: DPO and instruction tuning, and `makeTuner`; rlhf.ts: the reward model and
 * RLHF; tuners.ts: what they share. No DOM: the CLI, the worker and the tests run them as they are.
 */
import * as tf from '@tensorflow/tfjs';
import type { GPT } from '../../model/gpt';
import { trainableParams } from '../../model/lora';
import type { AdamW } from '../adamw';
import { RlhfTuner } from './rlhf';
import type { PretrainText } from './pretrainText';
import {
  BaseTuner,
  asExamples,
  drawBatch,
  logSigmoid,
  lrAt,
  optimise,
  optimiseKeeping,
  optimizerFor,
  type Pair,
  type TuneConfig,
  type TuneMethod,
  type Tuner,
} from './tuners';
import { continuationLogProbs, maskedLoss, pack, type Example } from './tuning';

export { TUNE_DEFAULTS, defaultBeta, defaultLr, drawBatch, type Pair, type TuneConfig, type TuneMethod, type TuneMetrics, type Tuner } from './tuners';
export { RewardModel, RlhfTuner } from './rlhf';

// ---------------------------------------------------------------------------------
// DPO

/** The reference's log π(chosen) − log π(rejected) per pair: a constant of the DPO step. */
export function referenceMargins(reference: GPT, pairs: readonly Pair[]): tf.Tensor1D {
  const blockSize = reference.config.blockSize;
  return tf.tidy(() =>
    tf.sub(
      continuationLogProbs(reference, pack(asExamples(pairs, 'chosen'), blockSize)),
      continuationLogProbs(reference, pack(asExamples(pairs, 'rejected'), blockSize)),
    ),
  );
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

/**
 * Instruction tuning: the masked next-token loss on prompt → completion examples, with the
 * hold on what the model knew (`cfg.keep`, against `reference`, the model before the
 * stage): without it, 100 steps on the bundled questions turned "…over the lazy" into "lazye".
 */
export class SftTuner extends BaseTuner {
  readonly method = 'sft';
  private readonly opt: AdamW;

  constructor(
    readonly model: GPT,
    private readonly examples: readonly Example[],
    private readonly cfg: TuneConfig,
    private readonly reference?: GPT,
    private readonly pretrain?: PretrainText,
  ) {
    super();
    this.opt = optimizerFor(trainableParams(model));
  }

  async trainStep(): Promise<void> {
    const batch = pack(drawBatch(this.examples, this.cfg.batchSize, this.cfg.seed, this.step), this.model.config.blockSize);
    const cfg = { ...this.cfg, lr: (this.lr = lrAt(this.cfg, this.step)) };
    const r = this.reference
      ? optimiseKeeping(this.opt, this.model, this.reference, cfg, this.step, this.pretrain, () => maskedLoss(this.model, batch))
      : { loss: optimise(this.opt, trainableParams(this.model), cfg.lr, () => maskedLoss(this.model, batch)) };
    this.pending.push({ step: ++this.step, ...r });
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
    private readonly pretrain?: PretrainText,
  ) {
    super();
    this.opt = optimizerFor(trainableParams(policy));
  }

  get model(): GPT {
    return this.policy;
  }

  async trainStep(): Promise<void> {
    const batch = drawBatch(this.pairs, this.cfg.batchSize, this.cfg.seed, this.step);
    const ref = referenceMargins(this.reference, batch);
    let margin: tf.Scalar | undefined;
    const cfg = { ...this.cfg, lr: (this.lr = lrAt(this.cfg, this.step)) };
    const r = optimiseKeeping(this.opt, this.policy, this.reference, cfg, this.step, this.pretrain, () => {
      const d = dpoLoss(this.policy, batch, ref, this.cfg.beta, this.cfg.nll);
      margin = tf.keep(d.margin);
      return d.loss;
    });
    ref.dispose();
    this.pending.push({ step: ++this.step, ...r, margin: margin! });
  }

  override dispose(): void {
    super.dispose();
    this.opt.dispose();
  }
}

/**
 * A tuner for `method` (DPO and RLHF need pairs, SFT examples; both need a reference but
 * SFT, but all hold what they knew against it). `pretrain`: the corpus the model learned, for that hold;
 * `ends`: the tokens that end an RLHF sample (sampling.ts `endMarks`).
 */
export function makeTuner(
  method: TuneMethod,
  policy: GPT,
  reference: GPT,
  data: { examples?: readonly Example[]; pairs?: readonly Pair[]; ends?: ReadonlySet<number> },
  cfg: TuneConfig,
  pretrain?: PretrainText,
): Tuner {
  if (method === 'sft') return new SftTuner(policy, data.examples ?? [], cfg, reference, pretrain);
  if (method === 'dpo') return new DpoTuner(policy, reference, data.pairs ?? [], cfg, pretrain);
  return new RlhfTuner(policy, reference, data.pairs ?? [], cfg, pretrain, data.ends);
}
