/**
 * Plain-array maths on the model's output, once it has left tfjs: softmax with a
 * temperature, top-k. Branded types keep "probabilities passed where logits belong"
 * (a real bug in other tfjs GPTs) a compile error.
 */

declare const brand: unique symbol;
/** Unnormalised scores, one per vocabulary entry. */
export type Logits = Float32Array & { readonly [brand]: 'logits' };
/** A probability distribution over the vocabulary (non-negative, sums to 1). */
export type Probs = Float32Array & { readonly [brand]: 'probs' };

export const asLogits = (a: Float32Array) => a as Logits;
export const asProbs = (a: Float32Array) => a as Probs;

/** softmax(logits / temperature), computed stably (subtract the max first). */
export function softmax(logits: Logits, temperature = 1): Probs {
  if (!(temperature > 0)) throw new Error(`Temperature must be > 0 (got ${temperature}).`);
  const out = new Float32Array(logits.length);
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp((logits[i]! - max) / temperature);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out as Probs;
}

export interface TokenProb {
  id: number;
  p: number;
}

/** The k most likely tokens, most likely first (ties: lower id first). */
export function topK(probs: Probs, k: number): TokenProb[] {
  const ids = Array.from(probs.keys());
  ids.sort((a, b) => probs[b]! - probs[a]! || a - b);
  return ids.slice(0, Math.max(0, k)).map((id) => ({ id, p: probs[id]! }));
}
