/**
 * Time a few training steps of each model preset on the running backend, smallest first,
 * for the Model panel's suggested size (train/sizeAdvice.ts decides from the numbers).
 *
 * Each preset trains a throwaway model of its own (random weights, random tokens: the time
 * of a step does not depend on what the tokens say), so the person's model is never
 * touched. Timed by train/measure.ts, the code the bench and the backend race use: one
 * warm-up step compiles the kernels for the shapes, then steps are timed until `timedMs`
 * has passed (at least two, at most 5), reading the losses back as the training loop does,
 * so the time includes the backend's work, not just queuing.
 */
import { MODEL_PRESETS, TRAIN_PRESETS, type ModelPresetName } from '../config';
import { createGPT, disposeGPT } from '../model/gpt';
import { Trainer } from '../train/trainer';
import { PRESETS_BY_SIZE, worthMeasuring, type PresetTiming } from '../train/sizeAdvice';
import { Rng } from '../util/rng';
import { measureSteps } from '../train/measure';

export interface ProbeOptions {
  vocabSize: number;
  budgetMs: number;
  /** Time spent on each preset's timed steps (after its warm-up step). */
  timedMs?: number;
  now?: () => number;
  /** Between presets: let other messages (a pause, a prediction) run. */
  yieldToEvents?: () => Promise<void>;
  /** Stop early (training started meanwhile): the timings so far are returned. */
  cancelled?: () => boolean;
}

async function timePreset(preset: ModelPresetName, vocabSize: number, timedMs: number, now: () => number): Promise<number> {
  const model = createGPT({ ...MODEL_PRESETS[preset], vocabSize }, 1);
  const rng = new Rng(7);
  const tokens = Int32Array.from({ length: 4 * MODEL_PRESETS[preset].blockSize * TRAIN_PRESETS[preset].batchSize }, () => rng.int(vocabSize));
  const trainer = new Trainer(model, { train: tokens, val: tokens }, { ...TRAIN_PRESETS[preset] });
  try {
    // One warm-up step, then at least two timed ones: the bench's and the race's own measure.
    return (await measureSteps(trainer, { warmup: 1, budgetMs: timedMs, maxSteps: 5, now })).msPerStep;
  } finally {
    trainer.dispose();
    disposeGPT(model);
  }
}

/** Measured ms/step per preset, smallest first, stopping where a larger one cannot fit. */
export async function probeSizes(opts: ProbeOptions): Promise<PresetTiming[]> {
  const now = opts.now ?? (() => performance.now());
  const timings: PresetTiming[] = [];
  for (const preset of PRESETS_BY_SIZE) {
    const last = timings[timings.length - 1];
    if (last && !worthMeasuring(last, preset, opts.vocabSize, opts.budgetMs)) break;
    if (opts.cancelled?.()) break;
    timings.push({ preset, msPerStep: await timePreset(preset, opts.vocabSize, opts.timedMs ?? 600, now) });
    await opts.yieldToEvents?.();
  }
  return timings;
}
