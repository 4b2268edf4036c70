/**
 * Runs: the last training runs of this browser, each with its config, seed, backend and
 * curves (train, val, tracked word), kept in localStorage ('folio.runs') so they survive a
 * reload. At most MAX_RUNS runs (pinned ones are kept first) and MAX_CURVE points per curve
 * (bucket averages), so storage stays small (~ a few KB a run).
 *
 * ## Adding a run (for other features, e.g. the size sweep)
 *
 *   import { runsActions } from './runs';
 *   const id = runsActions.addRun({ config, seed, backend, curves, label? });
 *   runsActions.updateRun(id, { curves });   // later points of the same run
 *
 * - `config` is a RunConfig (runDiff.ts): model sizes, training settings, tokenizer
 *   {kind, vocabSize}, corpus {name, bundled?}, planned steps. `runConfigOf(model, settings)`
 *   makes one from the page's ModelSummary.
 * - `curves` = { train: {step, loss}[], val: {step, val, train?}[], track: {step, p}[] }
 *   (any length: they are downsampled here).
 * - `label` is the person's name for it; without one the list says what differs from the
 *   run before (runDiff.ts).
 * A new run is shown overlaid on the loss chart. No React here; components read `useRuns`.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { ModelSummary } from '../worker/protocol';
import { isBundledCorpus, BUNDLED_CORPORA } from './corpora';
import type { RunConfig } from './runDiff';

export const MAX_RUNS = 12;
export const MAX_CURVE = 200;
/** A run's name is a label, not a note: longer ones are cut (they also travel in share links). */
export const RUN_NAME_MAX = 80;

export interface RunCurves {
  train: { step: number; loss: number }[];
  val: { step: number; val: number; train?: number }[];
  /** P(tracked word) over steps. */
  track: { step: number; p: number }[];
}

export interface StoredRun {
  id: string;
  /** Made at (ms since 1970); also the order of the list. */
  createdAt: number;
  config: RunConfig;
  seed: number;
  backend: string;
  curves: RunCurves;
  /** The person's name for the run (otherwise the difference from the previous run is shown). */
  label?: string;
  pinned?: boolean;
  /** Drawn on the loss chart. */
  overlay?: boolean;
  /**
   * The run it was forked from, and the step it started at; with the parent's config and
   * backend, so the fork still says what it changed after the parent is deleted.
   */
  parent?: { id: string; step: number; config?: RunConfig; backend?: string };
  /** Where its last checkpoint lies in IndexedDB (only a few runs keep one). */
  checkpoint?: { key: string; step: number };
  /** The word whose probability `curves.track` follows. */
  trackWord?: string;
}

export interface NewRun {
  config: RunConfig;
  seed: number;
  backend: string;
  curves: RunCurves;
  label?: string;
  parent?: StoredRun['parent'];
  trackWord?: string;
}

/** A run from a shared link: what to run again (no curves, no weights). */
export interface SharedRun {
  config: RunConfig;
  seed: number;
  label?: string;
}

export interface RunsState {
  runs: StoredRun[];
  /** Runs a shared link asked to re-run. */
  shared: SharedRun[];
  /** The link carried runs that could not be read (cut short, edited): said, so it does not fail silently. */
  sharedUnreadable?: boolean;
  /** The run being recorded from the live model (the chart draws it live, not from here). */
  liveId?: string;
}

/** Keep at most `max` points, averaging buckets of consecutive ones (the last point kept as is). */
export function downsampleCurve<T extends { step: number }>(points: T[], max = MAX_CURVE, avg?: (bucket: T[]) => T): T[] {
  if (points.length <= max) return points.slice();
  const size = Math.ceil(points.length / max);
  const out: T[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    out.push(avg ? avg(bucket) : bucket.at(-1)!);
  }
  const last = points.at(-1)!;
  if (out.at(-1)!.step !== last.step) out[out.length - 1] = last;
  return out;
}

const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;

export function capCurves(c: RunCurves): RunCurves {
  return {
    train: downsampleCurve(
      c.train.map((p) => ({ step: p.step, loss: p.loss })),
      MAX_CURVE,
      (b) => ({ step: b.at(-1)!.step, loss: mean(b.map((p) => p.loss)) }),
    ),
    val: downsampleCurve(c.val.map((v) => ({ step: v.step, val: v.val, ...(v.train !== undefined ? { train: v.train } : {}) }))),
    track: downsampleCurve(c.track.map((p) => ({ step: p.step, p: p.p }))),
  };
}

/** Keep MAX_RUNS: pinned runs first, then the newest; the list stays oldest first. */
export function capRuns(runs: StoredRun[], max = MAX_RUNS): StoredRun[] {
  if (runs.length <= max) return runs;
  const keep = new Set([...runs.filter((r) => r.pinned), ...runs.filter((r) => !r.pinned).reverse()].slice(0, max).map((r) => r.id));
  return runs.filter((r) => keep.has(r.id));
}

/** The run before `id` in the list (what its automatic label compares with). */
export function previousRun(runs: StoredRun[], id: string): StoredRun | undefined {
  const i = runs.findIndex((r) => r.id === id);
  if (i <= 0) return undefined;
  const own = runs[i]!;
  // A fork compares with its parent: that is the setting it changed (the parent itself, or what the fork kept of it).
  const parent = own.parent && (runs.find((r) => r.id === own.parent!.id) ?? (own.parent.config ? { ...own, id: own.parent.id, config: own.parent.config, backend: own.parent.backend ?? own.backend } : undefined));
  return parent || runs[i - 1];
}

/** A run's config from the page's model summary and the planned steps. */
export function runConfigOf(model: ModelSummary, steps: number): RunConfig {
  const { vocabSize: _v, ...sizes } = model.config;
  const bundled = Object.entries(BUNDLED_CORPORA).find(([, c]) => c.title === model.corpusName)?.[0];
  return {
    model: { nLayer: sizes.nLayer, nHead: sizes.nHead, nEmbd: sizes.nEmbd, blockSize: sizes.blockSize, dropout: sizes.dropout },
    train: { ...model.train },
    tokenizer: { kind: model.tokenizer, vocabSize: model.vocabSize },
    corpus: { name: model.corpusName, ...(bundled && isBundledCorpus(bundled) ? { bundled } : {}) },
    steps,
  };
}

let counter = 0;
function newId(now: number): string {
  return `${now.toString(36)}-${(counter++).toString(36)}`;
}

export const useRuns = create<RunsState>()(
  persist((): RunsState => ({ runs: [], shared: [] }), {
    name: 'folio.runs',
    version: 1,
    partialize: (s) => ({ runs: s.runs }),
    merge: (stored, current) => {
      const runs = (stored as Partial<RunsState> | undefined)?.runs;
      return { ...current, runs: Array.isArray(runs) ? runs.filter((r) => r && typeof r.id === 'string' && r.config && r.curves) : [] };
    },
  }),
);

function set(f: (s: RunsState) => Partial<RunsState>): void {
  useRuns.setState(f);
}

function patchRun(id: string, patch: Partial<StoredRun> | ((r: StoredRun) => Partial<StoredRun>)): void {
  set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, ...(typeof patch === 'function' ? patch(r) : patch) } : r)) }));
}

/** Store actions for runs, callable from outside React. */
export const runsActions = {
  /** Add a run (shown on the chart); returns its id. */
  addRun(run: NewRun, now = Date.now()): string {
    const id = newId(now);
    const stored: StoredRun = { ...run, id, createdAt: now, curves: capCurves(run.curves), overlay: true };
    set((s) => ({ runs: capRuns([...s.runs, stored]) }));
    return id;
  },
  /** New points for a run (the whole curves so far; they are downsampled here). */
  updateRun(id: string, patch: { curves?: RunCurves; config?: RunConfig; checkpoint?: StoredRun['checkpoint'] }): void {
    patchRun(id, { ...patch, ...(patch.curves ? { curves: capCurves(patch.curves) } : {}) });
  },
  rename: (id: string, label: string) => patchRun(id, { label: label.trim().slice(0, RUN_NAME_MAX) || undefined }),
  togglePin: (id: string) => patchRun(id, (r) => ({ pinned: !r.pinned })),
  setOverlay: (id: string, overlay: boolean) => patchRun(id, { overlay }),
  remove: (id: string) => set((s) => ({ runs: s.runs.filter((r) => r.id !== id) })),
  /** The runs a shared link asks to re-run (replaces any earlier list). */
  /** A shared link's runs, as the address bar carries them: none read from a non-empty text means a damaged link. */
  setSharedFrom: (text: string, shared: SharedRun[]) => set(() => ({ shared, sharedUnreadable: text.length > 0 && shared.length === 0 })),
  dismissUnreadable: () => set(() => ({ sharedUnreadable: false })),
  dropShared: (i: number) => set((s) => ({ shared: s.shared.filter((_, k) => k !== i) })),
  /** Forget every run (tests). */
  clear: () => set(() => ({ runs: [], shared: [] })),
};
