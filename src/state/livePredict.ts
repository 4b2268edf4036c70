/**
 * How often the next-word panel asks the worker for a fresh prediction while training.
 *
 * A prediction is not free: ranking next *words* runs a beam search of up to 16 model
 * calls (no KV cache), ~0.4 s for the `cpu` preset on wasm, and the worker trains no step
 * meanwhile. Asking once a second then cost ~40 % of the training speed. So the interval
 * stretches with what the last prediction took: at least once a second, and never more
 * than a fifth of the time spent predicting.
 */
export const LIVE_PREDICT_MIN_MS = 1000;
/** Predictions may take at most this share of the wall time while training. */
export const LIVE_PREDICT_SHARE = 0.2;

export function livePredictInterval(lastPredictionMs: number): number {
  return Math.max(LIVE_PREDICT_MIN_MS, lastPredictionMs / LIVE_PREDICT_SHARE);
}
