/**
 * The token embeddings (the rows of `wte`, one vector of nEmbd numbers per token) as
 * points on a flat map: their two principal components (util/pca.ts). Tokens used in the
 * same places get similar vectors as the model trains, so they drift together on the map.
 *
 * Big vocabularies are capped to the most frequent tokens of the training text (a map of
 * 1,000 labels is unreadable; rare tokens barely move anyway). Reads wte back once.
 */
import * as tf from '@tensorflow/tfjs';
import type { GPT } from '../model/gpt';
import type { Tokenizer } from '../tokenizer/tokenizer';
import { pca } from '../util/pca';

/** The most points a map shows. */
export const MAX_EMBEDDING_POINTS = 150;

export interface EmbeddingPoint {
  id: number;
  /** The token as a person reads it (whitespace made visible). */
  token: string;
  x: number;
  y: number;
  /** How often it occurs in the training text. */
  count: number;
}

export interface EmbeddingMap {
  points: EmbeddingPoint[];
  /** Share of the shown vectors' variance along each axis (0–1). */
  explained: [number, number];
  vocabSize: number;
}

/** How often each token id occurs in `ids`. */
export function tokenCounts(ids: ArrayLike<number>, vocabSize: number): Int32Array {
  const counts = new Int32Array(vocabSize);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id >= 0 && id < vocabSize) counts[id]!++;
  }
  return counts;
}

/**
 * The `max` most frequent token ids (ties: lower id first), in id order. Tokens that never
 * occur in the training text are left out: nothing trains their vectors (only weight decay
 * shrinks them), so they would only crowd the map.
 */
export function frequentTokens(counts: ArrayLike<number>, max: number): number[] {
  const ids = Array.from({ length: counts.length }, (_, i) => i).filter((i) => counts[i]! > 0);
  ids.sort((a, b) => counts[b]! - counts[a]! || a - b);
  return ids.slice(0, Math.max(0, max)).sort((a, b) => a - b);
}

/**
 * The map of `ids`' embedding vectors. `previous` (the axes of the last map) keeps the
 * axes from flipping between redraws; the axes used are returned for the next call.
 */
export async function embeddingMap(
  model: GPT,
  tok: Tokenizer,
  ids: number[],
  counts: ArrayLike<number>,
  previous?: Float64Array[],
): Promise<{ map: EmbeddingMap; axes: Float64Array[] }> {
  const C = model.config.nEmbd;
  const rows = tf.tidy(() => tf.gather(model.params.wte, tf.tensor1d(ids, 'int32'))); // (n, C)
  const data = await rows.data();
  rows.dispose();
  const r = pca(data, ids.length, C, { k: 2, seed: 7, ...(previous ? { previous } : {}) });
  const points = ids.map((id, i) => ({ id, token: tok.tokenDisplay(id), x: r.projected[2 * i]!, y: r.projected[2 * i + 1]!, count: counts[id] ?? 0 }));
  const share = (v: number | undefined) => (r.totalVariance > 0 ? (v ?? 0) / r.totalVariance : 0);
  return { map: { points, explained: [share(r.variances[0]), share(r.variances[1])], vocabSize: model.config.vocabSize }, axes: r.components };
}
