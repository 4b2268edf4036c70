/**
 * What a fine-tuning stage costs: how far the model's next-token distributions moved from
 * the model before the stage, on a fixed set of prompts from the pre-training corpus that
 * the tuning data does not touch (pretrainText.ts). A stage is meant to change a few
 * answers; everything else it changes is the price, and forgetting shows here first.
 *
 * Two numbers, each the mean over the prompts (each probe window is one, read at its last
 * position, where a word is about to start; `positions` > 1 reads each window's last few):
 * - KL(before ‖ now) in nats: how surprised the model now is by what it would have said
 *   before — large when it stops giving a likely token its mass (forgetting);
 * - total variation, ½ Σ |before − now|: the share of probability that moved (0 … 1).
 */
import * as tf from '@tensorflow/tfjs';
import { forward, type GPT } from '../../model/gpt';

export interface Cost {
  kl: number;
  tv: number;
}

export class CostMeter {
  private readonly x: tf.Tensor2D;
  private readonly refLogProbs: tf.Tensor2D;
  readonly prompts: number;

  /** `probes`: windows of the context's length; `reference`: the model before the stage (read once, here). */
  constructor(
    reference: GPT,
    probes: readonly Int32Array[],
    private readonly positions = 1,
  ) {
    const T = reference.config.blockSize;
    const flat = new Int32Array(probes.length * T);
    probes.forEach((p, i) => flat.set(p.subarray(0, T), i * T));
    this.positions = Math.min(positions, T);
    this.prompts = probes.length * this.positions;
    this.x = tf.tensor2d(flat, [probes.length, T], 'int32');
    this.refLogProbs = tf.tidy(() => this.logProbs(reference));
  }

  /** log p(next token) at the measured positions, (N·P, V). */
  private logProbs(model: GPT): tf.Tensor2D {
    const [N, T] = this.x.shape;
    const { logits } = forward(model, this.x);
    const V = logits.shape[2];
    return tf.logSoftmax(tf.slice(logits, [0, T - this.positions, 0], [N, this.positions, V]).reshape([N * this.positions, V])) as tf.Tensor2D;
  }

  /** The cost of `model` now (one forward pass over the probes, one read-back). */
  async measure(model: GPT): Promise<Cost> {
    if (this.prompts === 0) return { kl: 0, tv: 0 };
    const both = tf.tidy(() => {
      const now = this.logProbs(model);
      const pRef = tf.exp(this.refLogProbs);
      const kl = tf.mean(tf.sum(tf.mul(pRef, tf.sub(this.refLogProbs, now)), -1));
      const tv = tf.mean(tf.mul(tf.sum(tf.abs(tf.sub(pRef, tf.exp(now))), -1), 0.5));
      return tf.stack([kl, tv]);
    });
    const [kl, tv] = Array.from(await both.data());
    both.dispose();
    return { kl: Math.max(0, kl!), tv: tv! };
  }

  dispose(): void {
    tf.dispose([this.x, this.refLogProbs]);
  }
}
