/**
 * Runs: the last training runs of this browser, each with a stable id and number, its
 * config, seed, backend and curves (train, val, and one curve per tracked word), kept in
 * localStorage ('folio.runs') so they survive a reload. A run follows models by id: the
 * models whose training continues it (a resumed save, a restored one, a fine-tuning stage)
 * are added to its `modelIds`, so resuming extends the run rather than starting another. A
 * size sweep's sizes are one group. At most MAX_RUNS entries (pinned ones are kept first; a
 * sweep counts once) and MAX_CURVE points per curve (bucket averages), so storage stays
 * small (~ a few KB a run). A deleted run (or sweep) can be brought back with `undoRemove`
 * until the next delete.
 *
 * ## Adding a run (for other features)
 *
 *   import { runsActions } from './runs';
 *   const id = runsActions.addRun({ config, seed, backend, curves, modelIds?, label?, group? });
 *   runsActions.updateRun(id, { curves });   // later points of the same run
 *
 * - `config` is a RunConfig (runDiff.ts): model sizes, training settings, tokenizer
 *   {kind, vocabSize}, corpus {name, bundled?}, planned steps. `runConfigOf(model, settings)`
 *   makes one from the page's ModelSummary.
 * - `curves` = { train: {step, loss}[], val: {step, val, train?}[] }; `tracks` = { word: {step, p}[] }
 *   (any length: they are downsampled here).
 * - `label` is the person's name for it; without one the list says what differs from the
 *   run before (runDiff.ts).
 * - `charsPerToken`: the live model's (ModelSummary.charsPerToken), so the run's losses read in
 *   bits per character beside runs with another tokenizer (state/lossUnit.ts).
 * A new run is not drawn on the loss chart until the person ticks it: the chart belongs to
 * the live run. No React here; components read `useRuns`.
 */
import type { ModelSummary } from '../worker/protocol';
import { isBundledCorpus, BUNDLED_CORPORA } from './corpora';
import type { RunConfig } from './runDiff';
import type { CharsPerToken } from '../train/lossUnits';
import { makeStore } from './store/makeStore';
import { useFolio } from './store';

export const MAX_RUNS = 12;
export const MAX_CURVE = 200;
/** A run's name is a label, not a note: longer ones are cut (they also travel in share links). */
export const RUN_NAME_MAX = 80;

export interface RunCurves {
  train: { step: number; loss: number }[];
  val: { step: number; val: number; train?: number }[];
}

/** P(word | the prompt on show) over steps, one curve per word the run followed. */
export type RunTracks = Record<string, { step: number; p: number }[]>;

/** A run that is one size of a sweep: the sweep's id, its number and the size's place in it. */
export interface RunGroup {
  id: string;
  kind: 'sweep';
  index: number;
}

export interface StoredRun {
  id: string;
  /** Its number in the list ("#3"), given once and never changed (a sweep's sizes share theirs). */
  number: number;
  /** Made at (ms since 1970); also the order of the list. */
  createdAt: number;
  config: RunConfig;
  seed: number;
  backend: string;
  curves: RunCurves;
  /** The person's name for the run (otherwise the difference from the previous run is shown). */
  label?: string;
  pinned?: boolean;
  /** Drawn on the loss chart (ticked by the person; new runs are not). */
  overlay?: boolean;
  /**
   * Characters (bases, for k-mers) per token of its train and val splits: its losses ÷ (its
   * split's × ln 2) are bits per character. Absent on runs kept before they were measured (a
   * char run's are 1 anyway).
   */
  charsPerToken?: CharsPerToken;
  /**
   * The run it was forked from, and the step it started at; with the parent's config and
   * backend, so the fork still says what it changed after the parent is deleted.
   */
  parent?: { id: string; step: number; config?: RunConfig; backend?: string };
  /** Where its last checkpoint lies in IndexedDB (only a few runs keep one). */
  checkpoint?: { key: string; step: number };
  tracks: RunTracks;
  /** The ids of the models whose training this run is (the first, then those that continued it). */
  modelIds: string[];
  /** The step the run started from (a fork's: its parent's checkpoint). */
  from: number;
  group?: RunGroup;
}

export interface NewRun {
  config: RunConfig;
  seed: number;
  backend: string;
  curves: RunCurves;
  tracks?: RunTracks;
  modelIds?: string[];
  from?: number;
  label?: string;
  parent?: StoredRun['parent'];
  group?: RunGroup;
  charsPerToken?: CharsPerToken;
}

/** A run from a shared link: what to run again (no curves, no weights). */
export interface SharedRun {
  config: RunConfig;
  seed: number;
  label?: string;
}

export interface RunsState {
  runs: StoredRun[];
  /** The number the next run gets. */
  nextNumber: number;
  /**
   * The ticks are the person's: pages before this one ticked every new run, so a list kept
   * by one of them comes back with none ticked (its chart was crowded by default, not by choice).
   */
  ticksChosen?: boolean;
  /** What the last delete took away, and where, until the next delete (Undo). */
  removed?: { runs: { run: StoredRun; at: number }[]; label: string };
  /** Runs a shared link asked to re-run. */
  shared: SharedRun[];
  /** The link carried runs that could not be read (cut short, edited): said, so it does not fail silently. */
  sharedUnreadable?: boolean;
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

export function capTracks(t: RunTracks): RunTracks {
  return Object.fromEntries(Object.entries(t).map(([w, pts]) => [w, downsampleCurve(pts.map((p) => ({ step: p.step, p: p.p })))]));
}

export function capCurves(c: RunCurves): RunCurves {
  return {
    train: downsampleCurve(
      c.train.map((p) => ({ step: p.step, loss: p.loss })),
      MAX_CURVE,
      (b) => ({ step: b.at(-1)!.step, loss: mean(b.map((p) => p.loss)) }),
    ),
    val: downsampleCurve(c.val.map((v) => ({ step: v.step, val: v.val, ...(v.train !== undefined ? { train: v.train } : {}) }))),
  };
}

/** A run's entry in the list: a sweep's sizes are one entry. */
const entryOf = (r: StoredRun) => r.group?.id ?? r.id;

/** Keep MAX_RUNS entries (a sweep counts once): pinned ones first, then the newest; the list stays oldest first. */
export function capRuns(runs: StoredRun[], max = MAX_RUNS): StoredRun[] {
  const entries = [...new Set(runs.map(entryOf))];
  if (entries.length <= max) return runs;
  const pinned = new Set(runs.filter((r) => r.pinned).map(entryOf));
  const keep = new Set([...entries.filter((e) => pinned.has(e)), ...entries.filter((e) => !pinned.has(e)).reverse()].slice(0, max));
  return runs.filter((r) => keep.has(entryOf(r)));
}

/** The run a model's training belongs to (it, or a run it continues). */
export function runOfModel(runs: readonly StoredRun[], modelId: string | undefined): StoredRun | undefined {
  return modelId === undefined ? undefined : runs.find((r) => r.modelIds.includes(modelId));
}

/** The run before `id` in the list (what its automatic label compares with). */
export function previousRun(runs: StoredRun[], id: string): StoredRun | undefined {
  const i = runs.findIndex((r) => r.id === id);
  if (i <= 0) return undefined;
  const own = runs[i]!;
  // A fork compares with its parent: that is the setting it changed (the parent itself, or what the fork kept of it).
  const parent =
    own.parent &&
    (runs.find((r) => r.id === own.parent!.id) ??
      (own.parent.config ? { ...own, id: own.parent.id, config: own.parent.config, backend: own.parent.backend ?? own.backend } : undefined));
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

/** A stored run from an older page: numbered in order, its one tracked curve under its word. */
function upgrade(r: StoredRun & { curves: RunCurves & { track?: { step: number; p: number }[] }; trackWord?: string }, i: number): StoredRun {
  const { track, ...curves } = r.curves;
  const tracks = r.tracks ?? (track?.length ? { [r.trackWord ?? '']: track } : {});
  return {
    ...r,
    number: Number.isInteger(r.number) ? r.number : i + 1,
    curves,
    tracks,
    modelIds: Array.isArray(r.modelIds) ? r.modelIds : [],
    from: r.from ?? 0,
  };
}

export const useRuns = makeStore<RunsState>(() => ({ runs: [], shared: [], nextNumber: 1 }), {
  key: 'folio.runs',
  version: 1,
  pick: (s) => ({ runs: s.runs, nextNumber: s.nextNumber, ticksChosen: true }),
  merge: (stored, current) => ({ ...current, ...storedRuns(stored) }),
});

/** What localStorage held, as runs of this page (damaged entries dropped, older ones upgraded). */
export function storedRuns(stored: unknown): Pick<RunsState, 'runs' | 'nextNumber'> {
  const st = stored as Partial<RunsState> | undefined;
  const kept = Array.isArray(st?.runs) ? st.runs.filter((r) => r && typeof r.id === 'string' && r.config && r.curves).map(upgrade) : [];
  const runs = st?.ticksChosen ? kept : kept.map((r) => ({ ...r, overlay: false }));
  const nextNumber = Math.max(typeof st?.nextNumber === 'number' ? st.nextNumber : 1, ...runs.map((r) => r.number + 1));
  return { runs, nextNumber };
}

const set = useRuns.update;

function patchRun(id: string, patch: Partial<StoredRun> | ((r: StoredRun) => Partial<StoredRun>)): void {
  set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, ...(typeof patch === 'function' ? patch(r) : patch) } : r)) }));
}

/** Store actions for runs, callable from outside React. */
export const runsActions = {
  /** Add a run (not drawn on the chart until ticked) with the next number (a sweep's later sizes: the sweep's); returns its id. */
  addRun(run: NewRun, now = Date.now()): string {
    const id = newId(now);
    set((s) => {
      const sibling = run.group && s.runs.find((r) => r.group?.id === run.group!.id);
      const number = sibling ? sibling.number : s.nextNumber;
      const stored: StoredRun = {
        ...run,
        id,
        number,
        createdAt: now,
        curves: capCurves(run.curves),
        tracks: capTracks(run.tracks ?? {}),
        modelIds: run.modelIds ?? [],
        from: run.from ?? 0,
        overlay: false,
      };
      return { runs: capRuns([...s.runs, stored]), nextNumber: sibling ? s.nextNumber : s.nextNumber + 1 };
    });
    return id;
  },
  /** New points for a run (the whole curves so far; they are downsampled here). */
  updateRun(id: string, patch: { curves?: RunCurves; tracks?: RunTracks; config?: RunConfig; checkpoint?: StoredRun['checkpoint'] }): void {
    patchRun(id, { ...patch, ...(patch.curves ? { curves: capCurves(patch.curves) } : {}), ...(patch.tracks ? { tracks: capTracks(patch.tracks) } : {}) });
  },
  /** A model that continues run `id` (a resumed save, a fine-tuning stage): its training extends the run. */
  adoptModel: (id: string, modelId: string) => patchRun(id, (r) => (r.modelIds.includes(modelId) ? {} : { modelIds: [...r.modelIds, modelId] })),
  rename: (id: string, label: string) => patchRun(id, { label: label.trim().slice(0, RUN_NAME_MAX) || undefined }),
  togglePin: (id: string) => patchRun(id, (r) => ({ pinned: !r.pinned })),
  setOverlay: (id: string, overlay: boolean) => patchRun(id, { overlay }),
  /** Draw exactly these runs on the chart (the others unticked). */
  drawOnly: (ids: readonly string[]) => set((s) => ({ runs: s.runs.map((r) => ({ ...r, overlay: ids.includes(r.id) })) })),
  /** Delete a run (a sweep: all its sizes); `undoRemove` brings it back until the next delete. */
  remove: (id: string) =>
    set((s) => {
      const target = s.runs.find((r) => r.id === id);
      if (!target) return {};
      const entry = entryOf(target);
      const gone = s.runs.flatMap((run, at) => (entryOf(run) === entry ? [{ run, at }] : []));
      return { runs: s.runs.filter((r) => entryOf(r) !== entry), removed: { runs: gone, label: target.label ?? `#${target.number}` } };
    }),
  undoRemove: () =>
    set((s) => {
      if (!s.removed) return {};
      const runs = [...s.runs];
      for (const { run, at } of s.removed.runs) runs.splice(Math.min(at, runs.length), 0, run);
      return { runs, removed: undefined };
    }),
  /** The Undo offer lapsed. */
  forgetRemoved: () => set(() => ({ removed: undefined })),
  /** A shared link's runs, as the address bar carries them: none read from a non-empty text means a damaged link. */
  setSharedFrom: (text: string, shared: SharedRun[]) => set(() => ({ shared, sharedUnreadable: text.length > 0 && shared.length === 0 })),
  dismissUnreadable: () => set(() => ({ sharedUnreadable: false })),
  dropShared: (i: number) => set((s) => ({ shared: s.shared.filter((_, k) => k !== i) })),
  /** Forget every run (tests). */
  clear: () => set(() => ({ runs: [], shared: [], nextNumber: 1, removed: undefined })),
};

/** The id of the run the live model belongs to ("the model now" in the list; the chart draws it live). */
export function useLiveRunId(): string | undefined {
  const modelId = useFolio((s) => s.model?.id);
  return useRuns((s) => runOfModel(s.runs, modelId)?.id);
}
