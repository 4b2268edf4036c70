/**
 * Fine-tuning as a job of the run loop: a stage (train/finetune/stage.ts: instruction
 * tuning, DPO or RLHF with its cost meter and KL budget) a step at a time, with the loop's
 * pause, progress, divergence guard and autosave. Its metrics go to the page as
 * `tuneProgress`, its own chart — the first report says how the data was fitted to the
 * context, the last what the stage came to — and pre-training's loss history is left as
 * it was. A stage the budget stops ends there: its target becomes the step it stopped at.
 */
import type { LossPoint } from '../train/trainer';
import type { Stage } from '../train/run';
import type { TuneConfig } from '../train/finetune/preference';
import type { TuneStage } from '../train/finetune/stage';
import type { Fit } from '../train/finetune/tuneData';
import type { Job, JobContext } from './job';
import type { Live } from './live';

export function tuneJob(
  live: Live,
  stage: TuneStage,
  cfg: Pick<TuneConfig, 'lr' | 'batchSize'>,
  o: { fit: Fit; stage: Stage; stages: () => Stage[] },
  ctx: JobContext,
): Job {
  let since = performance.now();
  let tokensPerSec = 0;
  let first = true;
  let told = false;
  return {
    kind: stage.tuner.method,
    live,
    get step() {
      return stage.step;
    },
    get target() {
      return stage.stopped ? stage.step : stage.target;
    },
    // Metrics are read (one device sync) every 10 steps, or sooner when steps are slow (the loop's 250 ms rule).
    logEvery: 10,
    // The rate the stage's last step used (its warm-up, then its own): what the training strip says.
    get lr() {
      return stage.tuner.lr || cfg.lr;
    },
    get tokensPerSec() {
      return tokensPerSec;
    },
    resetClock: () => void (since = performance.now()),
    async trainStep() {
      await stage.advance();
      o.stage.steps = stage.step;
    },
    async readLosses(): Promise<LossPoint[]> {
      const metrics = await stage.read();
      const now = performance.now();
      const B = live.model.config.blockSize;
      tokensPerSec = metrics.length ? (metrics.length * cfg.batchSize * B) / Math.max(1e-3, (now - since) / 1000) : tokensPerSec;
      since = now;
      const last = stage.done && !told;
      if (metrics.length || first || last) {
        ctx.post({
          type: 'tuneProgress',
          modelId: live.id,
          method: stage.tuner.method,
          metrics,
          stages: o.stages(),
          ...(first ? { fit: o.fit, klBudget: stage.settings.klBudget } : {}),
          ...(last ? { outcome: stage.outcome() } : {}),
        });
        first = false;
        told ||= last;
      }
      return metrics.map((m) => ({ step: m.step, loss: m.loss, gradNorm: 0, lr: stage.tuner.lr }));
    },
    report: () => {}, // the metrics went to the page above; pre-training's history stays as it was
    afterStep: async () => {},
  };
}
