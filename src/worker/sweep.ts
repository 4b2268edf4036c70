/**
 * The size sweep: "bigger models learn more from the same text", measured.
 *
 * Several model sizes, from tiny up, each train from scratch for the same budget — the
 * same number of tokens, or the same seconds — on the live model's corpus, tokenizer and
 * batches; each ends with its loss on the held-out text. Which sizes: a ladder, cut where
 * this backend gets slow. Two steps of each size are timed first (train/measure.ts), and
 * the sweep keeps the tiniest plus the largest that fit the time cap together (at most 4).
 *
 * The live model is not touched (every size is its own fresh model).
 */
import { TRAIN_PRESETS, type SizedModelConfig, type TrainConfig } from '../config';
import { createGPT, disposeGPT, paramCount } from '../model/gpt';
import { measureSteps } from '../train/measure';
import { Trainer, type LossPoint } from '../train/trainer';
import {
  SWEEP_DEFAULT_CAP_S,
  SWEEP_LADDER,
  SWEEP_CONTEXT,
  type ExperimentEvent,
  type SweepBudget,
  type SweepPlanned,
  type SweepResult,
  type SweepSize,
} from './experimentProtocol';
import type { Live } from './live';
import type { BackendName } from './protocol';
import { nextMacrotask } from '../util/nextMacrotask';

const MAX_SIZES = 4;
/** With a time budget, a size that fits fewer steps than this in its time is too slow here. */
const MIN_TIME_STEPS = 30;
/** A batch every size can afford (the context: SWEEP_CONTEXT); the corpus's tokens are the live model's. */
const SWEEP_BATCH = 16;

export interface SweepDeps {
  post: (e: ExperimentEvent) => void;
  stopped: () => boolean;
  backend: BackendName;
  now?: () => number;
}

export interface SweepOptions {
  budget: SweepBudget;
  sizes?: readonly SweepSize[];
  capSeconds?: number;
}

/**
 * The training settings of a size: one schedule that ends with the budget, and a peak rate
 * that shrinks as the model widens (∝ 1/√width, 6e-3 at width 64, kept in [1e-3, 1e-2]) —
 * one rate for all would be too slow for the tiny ones or blow up the large ones.
 */
export function sweepTrain(live: Live, steps: number, width = 64): TrainConfig {
  const lr = Math.min(1e-2, Math.max(1e-3, 6e-3 * Math.sqrt(64 / width)));
  return {
    ...TRAIN_PRESETS.nano,
    batchSize: SWEEP_BATCH,
    learningRate: lr,
    minLearningRate: lr / 10,
    warmupSteps: Math.min(20, Math.max(1, Math.floor(steps / 10))),
    decaySteps: steps,
    evalInterval: Number.MAX_SAFE_INTEGER, // evaluated once, at the end
    evalBatches: 8,
    logEvery: 10,
    seed: live.trainer.cfg.seed,
  };
}

function sizeConfig(live: Live, s: SweepSize): SizedModelConfig {
  return { ...s, blockSize: Math.min(SWEEP_CONTEXT, live.model.config.blockSize), dropout: 0, vocabSize: live.model.config.vocabSize };
}

/** Keep at most every `n`-th point so a curve stays ≤ ~200 points. */
function thin(points: LossPoint[], max = 200): LossPoint[] {
  const every = Math.max(1, Math.ceil(points.length / max));
  return points.filter((_, i) => i % every === 0 || i === points.length - 1);
}

export async function runSweep(live: Live, opts: SweepOptions, deps: SweepDeps): Promise<SweepResult[]> {
  const now = deps.now ?? (() => performance.now());
  const capMs = (opts.capSeconds ?? SWEEP_DEFAULT_CAP_S) * 1000;
  const ladder = opts.sizes ?? SWEEP_LADDER;
  const tokensPerStep = (c: SizedModelConfig) => SWEEP_BATCH * c.blockSize;
  const stepsFor = (c: SizedModelConfig, msPerStep: number) =>
    opts.budget.kind === 'tokens'
      ? Math.max(1, Math.round(opts.budget.tokens / tokensPerStep(c)))
      : Math.max(1, Math.floor((opts.budget.seconds * 1000) / Math.max(1e-3, msPerStep)));

  // Plan: time two steps of each size, smallest first, until the sizes no longer fit the cap.
  const fits: SweepPlanned[] = [];
  const dropped: SweepPlanned[] = [];
  let planned = 0;
  for (const s of ladder) {
    if (deps.stopped()) break;
    const config = sizeConfig(live, s);
    const probeSteps = 2;
    const model = createGPT(config, live.trainer.cfg.seed);
    const trainer = new Trainer(model, live.data, sweepTrain(live, 100, config.nEmbd));
    let ms: number;
    try {
      ms = (await measureSteps(trainer, { warmup: 1, steps: probeSteps })).msPerStep;
    } finally {
      trainer.dispose();
      disposeGPT(model);
    }
    const steps = stepsFor(config, ms);
    const estMs = opts.budget.kind === 'time' ? opts.budget.seconds * 1000 : steps * ms;
    const p: SweepPlanned = { config, params: paramCount(config), steps, estMs };
    const tooFew = opts.budget.kind === 'time' && steps < MIN_TIME_STEPS; // a few steps teach nothing
    if ((planned + estMs > capMs || tooFew) && fits.length >= 2) {
      dropped.push(p);
      break; // bigger ones are slower still
    }
    fits.push(p);
    planned += estMs;
  }
  // The tiniest and the largest that fit (those between are left out only to keep the plot to 4).
  const sizes = fits.length > MAX_SIZES ? [fits[0]!, ...fits.slice(-(MAX_SIZES - 1))] : fits;
  deps.post({ kind: 'sweepPlan', sizes, dropped, budget: opts.budget, backend: deps.backend });

  // Train each planned size from scratch; the estimate of what is left is corrected as steps are measured.
  const results: SweepResult[] = [];
  const began = now();
  const estimates = sizes.map((s) => s.estMs);
  for (const [index, plan] of sizes.entries()) {
    if (deps.stopped()) break;
    const { config } = plan;
    const train = sweepTrain(live, plan.steps, config.nEmbd);
    const model = createGPT(config, train.seed);
    const trainer = new Trainer(model, live.data, train);
    const curve: LossPoint[] = [];
    const t0 = now();
    try {
      let lastPost = -Infinity;
      const deadline = opts.budget.kind === 'time' ? t0 + opts.budget.seconds * 1000 : Infinity;
      // A time budget trains until its time is up (the planned steps were an estimate).
      const maxSteps = opts.budget.kind === 'time' ? 4 * plan.steps : plan.steps;
      while (trainer.step < maxSteps && now() < deadline && !deps.stopped()) {
        const batch = Math.min(train.logEvery, maxSteps - trainer.step);
        for (let i = 0; i < batch; i++) trainer.trainStep();
        curve.push(...(await trainer.readLosses()));
        const spent = now() - t0;
        const msPerStep = spent / trainer.step;
        estimates[index] = opts.budget.kind === 'time' ? opts.budget.seconds * 1000 : msPerStep * plan.steps;
        if (now() - lastPost > 250 || trainer.step >= maxSteps) {
          lastPost = now();
          const left = Math.max(0, estimates[index]! - spent) + estimates.slice(index + 1).reduce((a, b) => a + b, 0);
          const fraction = opts.budget.kind === 'time' ? Math.min(1, spent / (opts.budget.seconds * 1000)) : trainer.step / plan.steps;
          deps.post({ kind: 'sweepProgress', index, fraction, elapsedMs: now() - began, etaMs: left });
        }
        await nextMacrotask(); // lets a "stop" message in between batches
      }
      if (deps.stopped() && trainer.step < plan.steps && opts.budget.kind === 'tokens') break;
      const evald = await trainer.evaluate();
      const result: SweepResult = {
        index,
        config,
        train,
        backend: deps.backend,
        params: plan.params,
        valLoss: evald.val,
        trainLoss: evald.train,
        steps: trainer.step,
        tokens: trainer.step * tokensPerStep(config),
        ms: now() - t0,
        curve: thin(curve),
      };
      results.push(result);
      deps.post({ kind: 'sweepPoint', result });
    } finally {
      trainer.dispose();
      disposeGPT(model);
    }
  }
  return results;
}
