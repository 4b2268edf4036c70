/**
 * Where along a run its weights are kept for rewinding (issue 27), and how many: plain
 * arithmetic, no tensors. The steps are roughly log-spaced — 0, 10, 20, 30, 50, 70, 100,
 * 200, 300, 500, 700, 1,000, … — because a model changes fastest at the start: the first
 * hundred steps turn noise into letters, the next thousands letters into words.
 *
 * The budget: a snapshot is the model's weights as float32 (4 bytes a parameter, no
 * optimizer state: rewinding only reads the model). The run keeps at most
 * REWIND_BUDGET_BYTES of them and at most MAX_SNAPSHOTS, but never fewer than
 * MIN_SNAPSHOTS whatever their size (a big model then goes over the budget, by design: a
 * film strip of three frames tells nothing). When a new snapshot would pass the limit, an
 * inner one goes: the one whose neighbours are closest together on the log scale, ties to
 * the middle of the run — the first and the newest always stay.
 */
import { paramCount, type SizedModelConfig } from '../config';

/** What the snapshots of one run may take together (they may go over it only to keep MIN_SNAPSHOTS). */
export const REWIND_BUDGET_BYTES = 64 * 1024 * 1024;
/** Always kept, however big the model. */
export const MIN_SNAPSHOTS = 12;
/** Never more (a film strip of 30 frames is already long). */
export const MAX_SNAPSHOTS = 32;

/** The mantissas of each decade's planned steps: 10, 20, 30, 50, 70, 100, 200, … */
const LADDER = [1, 2, 3, 5, 7];

/** Bytes one snapshot of this model takes: its weights as float32. */
export function snapshotBytes(config: SizedModelConfig): number {
  return 4 * paramCount(config);
}

/** How many snapshots a run of this model keeps at most. */
export function snapshotLimit(config: SizedModelConfig): number {
  const fit = Math.floor(REWIND_BUDGET_BYTES / snapshotBytes(config));
  return Math.max(MIN_SNAPSHOTS, Math.min(MAX_SNAPSHOTS, fit));
}

/** Is `step` one of the planned steps (0, 10, 20, 30, 50, 70, 100, …)? */
export function isPlannedStep(step: number): boolean {
  if (step === 0) return true;
  if (!Number.isInteger(step) || step < 10) return false;
  const decade = 10 ** Math.floor(Math.log10(step) + 1e-9);
  return step % decade === 0 && LADDER.includes(step / decade);
}

/** The planned steps from 0 up to `last` (inclusive), before any is dropped for the budget. */
export function plannedSteps(last: number): number[] {
  const out = [0];
  for (let decade = 10; decade <= last; decade *= 10) for (const m of LADDER) if (m * decade <= last) out.push(m * decade);
  return out;
}

/**
 * Which of `steps` (ascending) to drop so that at most `limit` stay: inner ones, each time
 * the one whose neighbours are closest on a log scale (the densest spot), ties to the middle.
 * Returns the steps to drop.
 */
export function stepsToDrop(steps: readonly number[], limit: number): number[] {
  const kept = [...steps];
  const dropped: number[] = [];
  const at = (s: number) => Math.log(s + 1);
  while (kept.length > Math.max(2, limit)) {
    let best = 1;
    let bestGap = Infinity;
    let bestMid = Infinity;
    const middle = (kept.length - 1) / 2;
    for (let i = 1; i < kept.length - 1; i++) {
      const gap = at(kept[i + 1]!) - at(kept[i - 1]!);
      const mid = Math.abs(i - middle);
      // Compare gaps with a tolerance: the ladder's gaps differ by a few percent (2×, 1.5×, 1.67×, 1.4×).
      if (gap < bestGap - 1e-9 || (Math.abs(gap - bestGap) <= 1e-9 && mid < bestMid)) {
        best = i;
        bestGap = gap;
        bestMid = mid;
      }
    }
    dropped.push(kept.splice(best, 1)[0]!);
  }
  return dropped;
}

/** The snapshots a run of `last` steps ends with (the planned steps and the last one, thinned to the limit). */
export function keptSteps(last: number, limit: number): number[] {
  const all = plannedSteps(last);
  if (all.at(-1) !== last) all.push(last);
  const drop = new Set(stepsToDrop(all, limit));
  return all.filter((s) => !drop.has(s));
}
