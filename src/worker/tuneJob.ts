/**
 * Fine-tuning as a job of the run loop: instruction tuning, DPO or RLHF (train/preference.ts)
 * a step at a time, with the loop's pause, progress, divergence guard and autosave. Its
 * metrics (loss, reward margin, reward, KL, reward-model accuracy) go to the page as
 * `tuneProgress`, its own chart: pre-training's loss history is left as it was.
 */
import type { LossPoint } from '../train/trainer';
import type { Stage } from '../train/run';
import type { TuneConfig, Tuner } from '../train/finetune/preference';
import type { Job, JobContext } from './job';
import type { Live } from './live';

export function tuneJob(
  live: Live,
  tuner: Tuner,
  cfg: Pick<TuneConfig, 'lr' | 'batchSize'>,
  steps: number,
  stage: Stage,
  stages: () => Stage[],
  ctx: JobContext,
): Job {
  const target = tuner.step + steps;
  let since = performance.now();
  let tokensPerSec = 0;
  return {
    kind: tuner.method,
    live,
    get step() {
      return tuner.step;
    },
    target,
    // Metrics are read (one device sync) every 10 steps, or sooner when steps are slow (the loop's 250 ms rule).
    logEvery: 10,
    lr: cfg.lr,
    get tokensPerSec() {
      return tokensPerSec;
    },
    resetClock: () => void (since = performance.now()),
    async trainStep() {
      await tuner.trainStep();
      stage.steps = tuner.step;
    },
    async readLosses(): Promise<LossPoint[]> {
      const metrics = await tuner.readMetrics();
      const now = performance.now();
      const B = live.model.config.blockSize;
      tokensPerSec = metrics.length ? (metrics.length * cfg.batchSize * B) / Math.max(1e-3, (now - since) / 1000) : tokensPerSec;
      since = now;
      if (metrics.length) ctx.post({ type: 'tuneProgress', modelId: live.id, method: tuner.method, metrics, stages: stages() });
      return metrics.map((m) => ({ step: m.step, loss: m.loss, gradNorm: 0, lr: cfg.lr }));
    },
    report: () => {}, // the metrics went to the page above; pre-training's history stays as it was
    afterStep: async () => {},
  };
}
