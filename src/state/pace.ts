/**
 * Training's pace in steps per second of wall time, for "time left". The tokens/s the
 * worker reports counts only the steps themselves; between them the worker also answers
 * the page (ranked words twice a second, attention), evaluates and saves, so a time left
 * from tokens/s ran ~15 % short on a long run (measured: 1 h 44 min shown, 2 h 15 min real).
 * The page keeps (time, step) samples while a run goes and reads the pace over the last
 * minute of them.
 */

export interface PaceSample {
  /** ms (performance.now()). */
  at: number;
  step: number;
}

/** How far back the pace looks, and the least span it trusts. */
export const PACE_WINDOW_MS = 60_000;
export const PACE_MIN_SPAN_MS = 10_000;

/** Add a sample, dropping those older than the window (the newest one outside it stays, as the span's start). */
export function addPaceSample(samples: PaceSample[], s: PaceSample): PaceSample[] {
  const kept = [...samples, s];
  let first = 0;
  while (first + 1 < kept.length && s.at - kept[first + 1]!.at >= PACE_WINDOW_MS) first++;
  return kept.slice(first);
}

/** Steps per second over the samples, or undefined while they span under PACE_MIN_SPAN_MS (or no step was made). */
export function paceOf(samples: PaceSample[]): number | undefined {
  const a = samples[0];
  const b = samples[samples.length - 1];
  if (!a || !b || b.at - a.at < PACE_MIN_SPAN_MS || b.step <= a.step) return undefined;
  return ((b.step - a.step) * 1000) / (b.at - a.at);
}
