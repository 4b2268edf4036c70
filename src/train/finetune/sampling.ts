/**
 * Whole completions sampled from a model for RLHF: after each prompt, tokens at
 * temperature 1 until an end mark (a sentence's end) or `maxNew` tokens, all prompts in
 * one batch per token. Seeded: the same seed and model give the same completions, and two
 * models sampled with the same seed share their random draws, so where they agree they
 * write the same text (the win rate compares them on that common ground).
 */
import * as tf from '@tensorflow/tfjs';
import { forward, type GPT } from '../../model/gpt';
import type { Tokenizer } from '../../tokenizer';
import { Rng } from '../../util/rng';

/** Tokens that end a completion: a sentence's end (. ! ?) or a line's. */
export function endMarks(tok: Pick<Tokenizer, 'vocabSize' | 'tokenText'>): Set<number> {
  const out = new Set<number>();
  for (let id = 0; id < tok.vocabSize; id++) {
    const text = tok.tokenText(id);
    if (/[.!?]\s*$/.test(text) || text.includes('\n')) out.add(id);
  }
  return out;
}

/** Up to `maxNew` tokens after each prompt (stopping after an end mark), drawn with `seed`. */
export async function sampleCompletions(
  model: GPT,
  prompts: readonly number[][],
  maxNew: number,
  ends: ReadonlySet<number>,
  seed: number,
): Promise<number[][]> {
  const rng = new Rng(seed);
  const T = model.config.blockSize;
  const out = prompts.map(() => [] as number[]);
  const open = prompts.map(() => true);
  for (let k = 0; k < maxNew && open.some((o) => o); k++) {
    const ctx = prompts.map((p, i) => [...p, ...out[i]!].slice(-T));
    const L = Math.max(...ctx.map((c) => c.length));
    const x = new Int32Array(ctx.length * L);
    ctx.forEach((c, b) => x.set(c, b * L)); // padded at the end: causal attention never reads it
    const probs = tf.tidy(() => {
      const { logits } = forward(model, tf.tensor2d(x, [ctx.length, L], 'int32'));
      const last = tf.tensor1d(
        ctx.map((c, b) => b * L + c.length - 1),
        'int32',
      );
      return tf.softmax(tf.gather(logits.reshape([ctx.length * L, -1]), last));
    });
    const p = await probs.data();
    probs.dispose();
    const V = p.length / ctx.length;
    for (let b = 0; b < ctx.length; b++) {
      const u0 = rng.next(); // drawn for every row, open or not: the draws stay aligned across models
      if (!open[b]) continue;
      let u = u0;
      let id = V - 1;
      for (let v = 0; v < V; v++) {
        u -= p[b * V + v]!;
        if (u <= 0) {
          id = v;
          break;
        }
      }
      out[b]!.push(id);
      if (ends.has(id)) open[b] = false;
    }
  }
  return out;
}
