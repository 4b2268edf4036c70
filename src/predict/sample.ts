/**
 * Choosing the next token from logits: greedy (argmax) or sampled with temperature,
 * top-k and top-p (nucleus). Plain arrays in, one token id out.
 */
import type { SampleConfig } from '../config';
import type { Rng } from '../util/rng';
import { softmax, type Logits, type Probs } from './probs';

export type SampleOptions = Pick<SampleConfig, 'temperature' | 'topK' | 'topP' | 'greedy'>;

/**
 * The distribution sampling actually draws from, after temperature, top-k and top-p.
 * Exposed so a page can show "what the sampler saw", and so tests can check it.
 */
export function samplingDistribution(logits: Logits, o: SampleOptions): Probs {
  const probs = softmax(logits, o.greedy ? 1 : o.temperature);
  if (o.greedy) {
    const out = new Float32Array(probs.length);
    out[argmax(probs)] = 1;
    return out as Probs;
  }
  const order = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]! || a - b);
  let keep = order.length;
  if (o.topK > 0) keep = Math.min(keep, o.topK);
  if (o.topP < 1) {
    // Smallest prefix whose mass reaches p (always at least one token).
    let mass = 0;
    for (let i = 0; i < keep; i++) {
      mass += probs[order[i]!]!;
      if (mass >= o.topP) {
        keep = i + 1;
        break;
      }
    }
  }
  const out = new Float32Array(probs.length);
  let sum = 0;
  for (let i = 0; i < keep; i++) sum += probs[order[i]!]!;
  for (let i = 0; i < keep; i++) out[order[i]!] = probs[order[i]!]! / sum;
  return out as Probs;
}

export function sampleToken(logits: Logits, o: SampleOptions, rng: Rng): number {
  const dist = samplingDistribution(logits, o);
  if (o.greedy) return argmax(dist);
  let r = rng.next();
  let last = 0;
  for (let i = 0; i < dist.length; i++) {
    if (dist[i]! > 0) {
      last = i;
      r -= dist[i]!;
      if (r < 0) return i;
    }
  }
  return last; // rounding left a sliver: take the last possible token
}

export function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}
