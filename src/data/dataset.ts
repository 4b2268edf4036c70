/**
 * Token streams for training: the train/validation split and seeded random batches.
 *
 * A batch is B windows of T+1 consecutive tokens cut from the stream at random
 * offsets; inputs are the first T, targets the last T — each target is the token
 * that follows its input. The offsets for step s depend only on (seed, s), so a run
 * resumed from a checkpoint sees exactly the batches it would have seen.
 */
import { CorpusError } from './corpus';
import { Rng, mix } from '../util/rng';
import { notice } from '../i18n';

export interface Dataset {
  train: Int32Array;
  val: Int32Array;
}

export interface Batch {
  /** (B, T) token ids, row-major. */
  x: Int32Array;
  /** (B, T) next-token ids: y[b, t] = stream[offset_b + t + 1]. */
  y: Int32Array;
  batchSize: number;
  blockSize: number;
}

/** Split the last `valFraction` of the tokens off for validation (nanoGPT: 10%). */
export function splitTokens(tokens: ArrayLike<number>, blockSize: number, valFraction = 0.1): Dataset {
  if (!(valFraction > 0 && valFraction < 1)) throw new Error(`Validation fraction must be in (0, 1) (got ${valFraction}).`);
  const all = Int32Array.from(tokens);
  const n = Math.floor(all.length * (1 - valFraction));
  const ds = { train: all.subarray(0, n), val: all.subarray(n) };
  // A window needs blockSize + 1 tokens (inputs plus the one after).
  const need = blockSize + 1;
  if (ds.train.length < need || ds.val.length < need) {
    const min = Math.ceil(need / valFraction);
    throw new CorpusError('too-short', notice('tooShort', { tokens: all.length, context: blockSize, min, heldOut: Math.round(valFraction * 100) }));
  }
  return ds;
}

/** A batch of `batchSize` random windows from `stream`, determined by (seed, step). */
export function getBatch(stream: Int32Array, batchSize: number, blockSize: number, seed: number, step: number): Batch {
  const rng = new Rng(mix(seed, step));
  const x = new Int32Array(batchSize * blockSize);
  const y = new Int32Array(batchSize * blockSize);
  const maxStart = stream.length - blockSize - 1;
  for (let b = 0; b < batchSize; b++) {
    const o = rng.int(maxStart + 1);
    x.set(stream.subarray(o, o + blockSize), b * blockSize);
    y.set(stream.subarray(o + 1, o + blockSize + 1), b * blockSize);
  }
  return { x, y, batchSize, blockSize };
}
