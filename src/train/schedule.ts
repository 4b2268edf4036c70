/**
 * Learning-rate schedule: linear warm-up, then cosine decay to a floor (nanoGPT's
 * get_lr). Warm-up keeps Adam's first, poorly estimated steps small; the decay lets
 * the model settle into a minimum instead of bouncing around it.
 */
import type { TrainConfig } from '../config';

export type LrSchedule = Pick<TrainConfig, 'learningRate' | 'minLearningRate' | 'warmupSteps' | 'decaySteps' | 'scheduleFrom'>;

/** The schedule's part of training settings (what the page needs to draw "the rate in use"). */
export function scheduleOf(c: LrSchedule): LrSchedule {
  const { learningRate, minLearningRate, warmupSteps, decaySteps, scheduleFrom } = c;
  return { learningRate, minLearningRate, warmupSteps, decaySteps, ...(scheduleFrom !== undefined ? { scheduleFrom } : {}) };
}

/** Learning rate for the step about to run (0-based; counted from `scheduleFrom`, a fork's first step). */
export function learningRateAt(absoluteStep: number, c: LrSchedule): number {
  const step = absoluteStep - (c.scheduleFrom ?? 0);
  if (step < c.warmupSteps) return (c.learningRate * (step + 1)) / c.warmupSteps;
  if (step >= c.decaySteps) return c.minLearningRate;
  const ratio = (step - c.warmupSteps) / Math.max(1, c.decaySteps - c.warmupSteps);
  const coeff = 0.5 * (1 + Math.cos(Math.PI * ratio)); // 1 → 0
  return c.minLearningRate + coeff * (c.learningRate - c.minLearningRate);
}
