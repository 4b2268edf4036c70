/**
 * The runs list's side of the bridge: it records each training run from the store (a new
 * run when a model trains for the first time; "Continue" extends the same run), keeps the
 * last checkpoint of the newest few runs in IndexedDB (CKPT_SLOTS keys, reused in turn, so
 * storage never grows), forks a run from its checkpoint with one setting changed, and
 * re-runs a run from a shared link (rebuild the model from its settings, then train from
 * scratch). No React; the words are notices.
 */
import { MODEL_PRESETS, type ModelPresetName } from '../config';
import type { FromWorker, ToWorker } from '../worker/protocol';
import { isBundledCorpus, type BundledCorpus } from './corpora';
import { runConfigOf, runsActions, useRuns, type SharedRun, type StoredRun } from './runs';
import type { actions as storeActions, FolioState, Settings } from './store';

/** Runs that keep a checkpoint (each a few MB for the small presets). */
export const CKPT_SLOTS = 3;
export const ckptKey = (slot: number) => `folio-run-${slot}`;
/**
 * Models above this many parameters keep no run checkpoint: with AdamW's two moments a save
 * is ~12 bytes a parameter (the 10.7 M `baby` preset: ~130 MB), and the autosave already
 * keeps the live one.
 */
export const CKPT_MAX_PARAMS = 2_000_000;
/** Write the live run's curves to the list at most this often while it trains. */
const RECORD_MS = 1000;

/** The one setting a fork changes: the peak learning rate, or how many steps it trains. */
export type ForkChange = { setting: 'lr'; value: number } | { setting: 'steps'; value: number };

export interface RunContext {
  send: (msg: ToWorker) => void;
  ask: (make: (requestId: number) => ToWorker, then: (answer: FromWorker) => void) => void;
  /** The bridge's own handling of a message (a fork's 'loaded' goes there after us). */
  route: (msg: FromWorker) => void;
  actions: typeof storeActions;
  getState: () => FolioState;
  subscribe: (listener: (s: FolioState, prev: FolioState) => void) => () => void;
  /** The page's commands the re-run uses. */
  rebuild: { chooseBundled: (id: BundledCorpus) => void; applyModel: (preset: Settings['preset'], custom: Settings['custom']) => void; trainFromScratch: () => void; startAfterLoad: (steps: number) => void };
}

/** A free checkpoint slot, or the one held by the oldest unpinned run (which then loses it). */
export function pickSlot(runs: StoredRun[], own?: StoredRun): { key: string; evict?: string } {
  if (own?.checkpoint) return { key: own.checkpoint.key };
  const used = new Set(runs.flatMap((r) => (r.checkpoint ? [r.checkpoint.key] : [])));
  for (let i = 0; i < CKPT_SLOTS; i++) if (!used.has(ckptKey(i))) return { key: ckptKey(i) };
  const holders = runs.filter((r) => r.checkpoint && r.id !== own?.id);
  const victim = holders.find((r) => !r.pinned) ?? holders[0]!;
  return { key: victim.checkpoint!.key, evict: victim.id };
}

/** The preset whose sizes these are (its training defaults then apply), or 'custom'. */
function presetOf(model: Settings['custom']): Settings['preset'] {
  const hit = (Object.keys(MODEL_PRESETS) as ModelPresetName[]).find((p) => {
    const m = MODEL_PRESETS[p];
    return m.nLayer === model.nLayer && m.nHead === model.nHead && m.nEmbd === model.nEmbd && m.blockSize === model.blockSize && m.dropout === model.dropout;
  });
  return hit ?? 'custom';
}

export function runCommands(ctx: RunContext) {
  /** The run being recorded: its model, and the step it started from (a fork's: its parent's checkpoint). */
  let current: { id: string; model: NonNullable<FolioState['model']>; from: number } | undefined;
  let parent: StoredRun['parent'] | undefined;
  let lastWrite = 0;
  /** A re-run waits for its model, then trains (until this time). */
  let startWhenReady: { model: FolioState['model']; until: number } | undefined;

  function curvesOf(s: FolioState): StoredRun['curves'] {
    return { train: s.losses, val: s.evals, track: s.trackHistory };
  }

  function record(s: FolioState, prev: FolioState): void {
    if (startWhenReady && s.model && s.model !== startWhenReady.model && !s.busy) {
      startWhenReady = undefined;
      ctx.rebuild.trainFromScratch();
    } else if (startWhenReady && (performance.now() > startWhenReady.until || (prev.confirm && !s.confirm && !s.busy && s.model === startWhenReady.model))) {
      startWhenReady = undefined; // the person said no, or nothing came
    }
    if (!s.model || (s.run.stage ?? 'pretrain') !== 'pretrain') return;
    const changed = s.losses !== prev.losses || s.evals !== prev.evals || s.trackHistory !== prev.trackHistory;
    const stopped = prev.run.state === 'running' && s.run.state !== 'running';
    if (!changed && !stopped) return;
    if (!current || current.model !== s.model) {
      // A run starts with the first trained step on a model (not when a save's curves come back).
      if (s.run.state !== 'running' || s.losses.length === 0 || s.losses === prev.losses) return;
      // A run's steps are the steps it trains (a fork trains on from its parent's step).
      const from = s.thisRun?.from ?? 0;
      const config = runConfigOf(s.model, s.run.targetSteps - from);
      const id = runsActions.addRun({ config, seed: config.train.seed, backend: s.backend?.name ?? '?', curves: curvesOf(s), trackWord: s.settings.track, ...(parent ? { parent } : {}) });
      parent = undefined;
      current = { id, model: s.model, from };
      useRuns.setState({ liveId: id });
      lastWrite = performance.now();
      return;
    }
    if (!stopped && performance.now() - lastWrite < RECORD_MS) return;
    lastWrite = performance.now();
    runsActions.updateRun(current.id, { curves: curvesOf(s), config: runConfigOf(s.model, s.run.targetSteps - current.from) });
    if (stopped && s.model.paramCount <= CKPT_MAX_PARAMS) saveCheckpoint(current.id);
  }

  /** Keep the run's last weights so it can be forked (the newest CKPT_SLOTS runs). */
  function saveCheckpoint(id: string): void {
    const runs = useRuns.getState().runs;
    const { key, evict } = pickSlot(runs, runs.find((r) => r.id === id));
    ctx.ask(
      (requestId) => ({ type: 'save', requestId, target: { kind: 'indexeddb', key } }),
      (answer) => {
        if (answer.type !== 'saved') return ctx.route(answer);
        if (evict) runsActions.updateRun(evict, { checkpoint: undefined });
        runsActions.updateRun(id, { checkpoint: { key, step: answer.step } });
      },
    );
  }

  function withConfirm(proceed: () => void): void {
    const { trainedHere } = ctx.getState();
    if (trainedHere > 0) ctx.actions.ask({ steps: trainedHere, kind: 'fork', proceed });
    else proceed();
  }

  return {
    /** Follow the store and keep the runs list (call once; returns the unsubscribe). */
    recordRuns(): () => void {
      return ctx.subscribe(record);
    },
    /** A new run from `id`'s last checkpoint with one setting changed. */
    forkRun(id: string, change: ForkChange): void {
      const run = useRuns.getState().runs.find((r) => r.id === id);
      const ckpt = run?.checkpoint;
      if (!run || !ckpt) return; // the button is off without one; a checkpoint gone from storage fails in the worker, with its reason
      withConfirm(() => {
        ctx.actions.setBusy(true);
        // It trains as many steps as its parent did, unless the change is the steps.
        const steps = ckpt.step + Math.max(1, change.setting === 'steps' ? Math.round(change.value) : run.config.steps);
        ctx.ask(
          (requestId) => ({ type: 'load', requestId, source: { kind: 'indexeddb', key: ckpt.key, forkSteps: steps - ckpt.step, ...(change.setting === 'lr' ? { learningRate: change.value } : {}) } }),
          (answer) => {
            ctx.route(answer); // 'loaded' brings the parent's curves back; an error shows
            if (answer.type !== 'loaded') return ctx.actions.setBusy(false);
            parent = { id, step: ckpt.step, config: run.config, backend: run.backend };
            ctx.rebuild.startAfterLoad(steps);
          },
        );
      });
    },
    /** Build the model a shared run describes, then train it from scratch. */
    rerunShared(r: SharedRun): void {
      const c = r.config;
      const preset = presetOf(c.model);
      const patch: Partial<Settings> = {
        preset,
        custom: { ...c.model },
        tokenizer: c.tokenizer.kind,
        vocabSize: c.tokenizer.kind === 'char' ? ctx.getState().settings.vocabSize : c.tokenizer.vocabSize,
        lr: c.train.learningRate,
        steps: c.steps,
      };
      startWhenReady = { model: ctx.getState().model, until: performance.now() + 120_000 };
      ctx.actions.setSettings(patch);
      const bundled = c.corpus.bundled;
      if (bundled && isBundledCorpus(bundled)) ctx.rebuild.chooseBundled(bundled);
      else ctx.rebuild.applyModel(preset, { ...c.model });
    },
  };
}
