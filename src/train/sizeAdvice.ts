/**
 * Which model size to suggest, from speed measured on this backend — not from its name.
 *
 * Why: a guess by backend name was wrong by 40×. On the plain-JavaScript `cpu` backend the
 * page suggested `nano`, which ran 0.6 steps/s ("27 min left", the first sample after about
 * 3 minutes), while `tiny` ran 25 steps/s. A learner should see the model's first sample
 * within about half a minute, so the suggestion is the largest preset whose measured step
 * leaves room for that.
 *
 * The presets are measured smallest first; a larger one is measured only when the previous
 * one's time, scaled by the ratio of their floating-point work, does not already rule it
 * out (so the probe never spends seconds on a `baby` step that a CPU cannot afford).
 * Pure: the worker times the steps (worker/sizeProbe.ts) and hands the numbers here.
 */
import { MODEL_PRESETS, TRAIN_PRESETS, trainingFlopsPerStep, type ModelPresetName } from '../config';

/** The presets from smallest to largest: the order they are measured in. */
export const PRESETS_BY_SIZE: readonly ModelPresetName[] = ['tiny', 'nano', 'cpu', 'baby'];

/** The first sample should arrive within this many seconds of pressing Train. */
export const FIRST_SAMPLE_SECONDS = 30;

export interface PresetTiming {
  preset: ModelPresetName;
  /** Measured milliseconds per training step on this backend (after warm-up). */
  msPerStep: number;
}

/**
 * The step time that lets `sampleEvery` steps finish within FIRST_SAMPLE_SECONDS, with a
 * fifth kept back for what else a run does (validation, the sample itself, the page).
 */
export function stepBudgetMs(sampleEvery: number, seconds = FIRST_SAMPLE_SECONDS): number {
  return ((seconds * 1000) / sampleEvery) * 0.8;
}

/** One step's floating-point work for a preset with this vocabulary. */
function flops(preset: ModelPresetName, vocabSize: number): number {
  return trainingFlopsPerStep({ ...MODEL_PRESETS[preset], vocabSize }, TRAIN_PRESETS[preset].batchSize);
}

/**
 * Is the next preset worth timing? A step's time is overhead plus work, and small models are
 * all overhead (on wasm here `nano` does 110× `tiny`'s work in 5× its time), so scaling the
 * last time by the ratio of work overestimates a larger preset. Time it when that estimate
 * comes within 2× of the budget, or when the last step was cheap (a quarter of the budget)
 * and the estimate stays under 50× the budget — the most one warm-up step may cost (12 s).
 */
export function worthMeasuring(last: PresetTiming, next: ModelPresetName, vocabSize: number, budgetMs: number): boolean {
  const predicted = last.msPerStep * (flops(next, vocabSize) / flops(last.preset, vocabSize));
  if (last.msPerStep > budgetMs) return false;
  return predicted <= 2 * budgetMs || (last.msPerStep <= budgetMs / 4 && predicted <= 50 * budgetMs);
}

/** The largest measured preset whose step fits the budget; the smallest one if none does. */
export function adviseSize(timings: readonly PresetTiming[], budgetMs: number): ModelPresetName {
  let best: ModelPresetName = PRESETS_BY_SIZE[0]!;
  for (const p of PRESETS_BY_SIZE) {
    const t = timings.find((x) => x.preset === p);
    if (t && t.msPerStep <= budgetMs) best = p;
  }
  return best;
}

/** Seconds until the first sample for a preset measured at `msPerStep`. */
export function firstSampleSeconds(msPerStep: number, sampleEvery: number): number {
  return (msPerStep * sampleEvery) / 1000;
}
