/**
 * How often the next-word panel asks the worker for a fresh prediction while training.
 *
 * A prediction is not free: the worker trains no step meanwhile. Ranking next *words*
 * runs a beam search of up to 16 model calls. Before the KV cache (predict/kvCache.ts)
 * each call was a full forward pass, ~0.4 s for the `cpu` preset on wasm, and the panel
 * refreshed at most every 2 s; with it, each call after the prompt costs one position
 * per branch, ~20–50 ms in all. So the panel refreshes twice a second, and a slower
 * prediction (a bigger model, a slow backend) never takes more than a tenth of the time.
 */
export const LIVE_PREDICT_MIN_MS = 500;
/** Predictions may take at most this share of the wall time while training. */
export const LIVE_PREDICT_SHARE = 0.1;

export function livePredictInterval(lastPredictionMs: number): number {
  return Math.max(LIVE_PREDICT_MIN_MS, lastPredictionMs / LIVE_PREDICT_SHARE);
}
