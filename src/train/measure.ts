/**
 * How fast a trainer trains, on whatever backend tfjs runs now: the one measuring code path
 * shared by the benchmark (tests/bench/measure.ts: `npm run bench`, `bench:node`) and the page's
 * backend race (worker/raceJob.ts), so the two agree.
 *
 * Warm-up steps first (each read back at once: the first steps allocate and compile kernels
 * for every shape, and are not timed), then timed steps queued in small batches with the
 * losses read once per batch — no per-step device → CPU sync, as in training. Every loss is
 * kept, warm-up's included: the race compares the first ones across backends.
 */
import type { Trainer } from './trainer';

export interface StepTiming {
  /** Mean wall time of a timed step. */
  msPerStep: number;
  /** Timed steps (warm-up not counted). */
  steps: number;
  /**
   * Mean time a timed `trainStep()` call held the thread, ms: on a GPU backend the JavaScript
   * that encodes the step (nothing is read back in it), on wasm and cpu the whole step.
   */
  encodeMs: number;
  /** Each warm-up step's time. */
  warmupMs: number[];
  /** The loss of every step run, warm-up first, in order. */
  losses: number[];
}

export interface MeasureOptions {
  /** Untimed steps first (default 2). */
  warmup?: number;
  /** Exactly this many timed steps (the race)… */
  steps?: number;
  /** …or as many as fit in this time, at least 2 and at most `maxSteps` (the benchmark). */
  budgetMs?: number;
  maxSteps?: number;
  /** Stop warming up after a step this slow (software GPUs: one warm-up step is all we can afford). */
  slowWarmupMs?: number;
  /** Stop timing past this much time whatever the target (default 60 s). */
  capMs?: number;
  /** After each read: steps done of the timed target (for progress bars). Return false to stop. */
  onRead?: (done: number, losses: number[]) => void | boolean;
  /**
   * Awaited after each read, before onRead: a worker lets its messages in here (a Stop). On
   * the plain-JS backend a read resolves at once, as a microtask, so without it the race's
   * cpu leg never heard Stop (it ran on for two minutes).
   */
  between?: () => Promise<void>;
  log?: (s: string) => void;
  label?: string;
  /** The clock (tests inject one). */
  now?: () => number;
}

export async function measureSteps(trainer: Trainer, opts: MeasureOptions = {}): Promise<StepTiming> {
  const { warmup = 2, slowWarmupMs = 20_000, capMs = 60_000, maxSteps = 50, log, label = 'steps' } = opts;
  const now = opts.now ?? (() => performance.now());
  const losses: number[] = [];
  const warmupMs: number[] = [];
  const read = async () => {
    const points = await trainer.readLosses();
    for (const p of points) losses.push(p.loss);
    return points;
  };
  for (let i = 0; i < warmup; i++) {
    const t0 = now();
    trainer.trainStep();
    await read();
    warmupMs.push(now() - t0);
    await opts.between?.();
    log?.(`  ${label}: warm-up step ${i + 1}: ${(now() - t0).toFixed(0)} ms`);
    if (opts.onRead?.(0, losses) === false) return { msPerStep: 0, steps: 0, encodeMs: 0, warmupMs, losses };
    if (now() - t0 > slowWarmupMs) break;
  }
  const fixed = opts.steps;
  const budget = opts.budgetMs ?? 4000;
  let steps = 0;
  const t0 = now();
  let elapsed = 0;
  let encoding = 0;
  const more = () => (fixed !== undefined ? steps < fixed : steps < 2 || (elapsed < budget && steps < maxSteps));
  while (more()) {
    // Slow steps (plain JS: ~1 s) one at a time, so a Stop waits for one step, not ten.
    const slow = steps > 0 && elapsed / steps > 250;
    const batch = slow ? 1 : Math.max(1, Math.min(10, steps, fixed !== undefined ? fixed - steps : Infinity));
    for (let i = 0; i < batch; i++) {
      const s0 = now();
      trainer.trainStep();
      encoding += now() - s0;
    }
    await read();
    steps += batch;
    elapsed = now() - t0;
    await opts.between?.();
    if (opts.onRead?.(steps, losses) === false) break;
    if (elapsed > capMs) break;
  }
  const msPerStep = steps > 0 ? elapsed / steps : 0;
  log?.(`  ${label}: ${steps} timed steps, ${msPerStep.toFixed(1)} ms/step`);
  return { msPerStep, steps, encodeMs: steps > 0 ? encoding / steps : 0, warmupMs, losses };
}

/** Tokens a second at this step time. */
export function tokensPerSecond(msPerStep: number, batchSize: number, blockSize: number): number {
  return msPerStep > 0 ? (batchSize * blockSize * 1000) / msPerStep : 0;
}
