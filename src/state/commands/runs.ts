/**
 * The runs list's commands: it records each training run from the store, keyed by the
 * models it trained (a new run when a model trains that continues no run; a resumed save,
 * a restored one or a fine-tuning stage extends the run of the model it came from), keeps
 * the last checkpoint of the newest few runs in IndexedDB (CKPT_SLOTS keys, reused in turn,
 * so storage never grows), forks a run from its checkpoint with one setting changed, and
 * re-runs a run from a shared link (rebuild the model from its settings, then train from
 * scratch). No React; the words are notices.
 */
import { MODEL_PRESETS, type ModelPresetName } from '../../config';
import type { ModelOrigin } from '../../worker/protocol';
import { isBundledCorpus, type BundledCorpus } from '../corpora';
import { runConfigOf, runOfModel, runsActions, useRuns, type SharedRun, type StoredRun } from '../runs';
import { askBeforeReplacing, trackKey, type FolioState, type Settings } from '../store';
import { report, type PageContext } from './context';

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

/** The other panels' commands a re-run uses. */
export interface Rebuild {
  chooseBundled: (id: BundledCorpus) => void;
  applyModel: (preset: Settings['preset'], custom: Settings['custom']) => void;
  trainFromScratch: () => void;
}

/** Models that carry on the weights of their parent: their training extends the parent's run. */
const CONTINUES: readonly ModelOrigin[] = ['resumed', 'restored', 'tuned', 'loaded'];

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

export function runCommands({ link, store }: PageContext, rebuild: Rebuild) {
  let lastWrite = 0;
  /** A re-run waits for its model, then trains (until this time). */
  let startWhenReady: { modelId: string | undefined; until: number } | undefined;

  function curvesOf(s: FolioState): StoredRun['curves'] {
    return { train: s.losses, val: s.evals };
  }

  /** This model's tracked curves, by word (for the prompt on show). */
  function tracksOf(s: FolioState): StoredRun['tracks'] {
    if (s.tracks.modelId !== s.model?.id) return {};
    const out: StoredRun['tracks'] = {};
    for (const [key, pts] of Object.entries(s.tracks.curves)) {
      const [word, prompt] = key.split('\u0000') as [string, string];
      if (key === trackKey(prompt, word) && prompt === s.prompt) out[word] = pts;
    }
    return out;
  }

  /** The run of the live model: its own, or the run of the model it continues (which it then joins). */
  function runOf(s: FolioState): StoredRun | undefined {
    const runs = useRuns.get().runs;
    const m = s.model!;
    const own = runOfModel(runs, m.id);
    if (own) return own;
    const parent = CONTINUES.includes(m.origin) ? runOfModel(runs, m.parentId) : undefined;
    if (parent) runsActions.adoptModel(parent.id, m.id);
    return parent && runOfModel(useRuns.get().runs, m.id);
  }

  function record(s: FolioState, prev: FolioState): void {
    if (startWhenReady && s.model && s.model.id !== startWhenReady.modelId && !s.busy) {
      startWhenReady = undefined;
      rebuild.trainFromScratch();
    } else if (
      startWhenReady &&
      (performance.now() > startWhenReady.until || (prev.confirm && !s.confirm && !s.busy && s.model?.id === startWhenReady.modelId))
    ) {
      startWhenReady = undefined; // the person said no, or nothing came
    }
    if (!s.model || (s.run.stage ?? 'pretrain') !== 'pretrain') return;
    const changed = s.losses !== prev.losses || s.evals !== prev.evals || s.tracks !== prev.tracks;
    const stopped = prev.run.state === 'running' && s.run.state !== 'running';
    if (!changed && !stopped) return;
    const run = runOf(s);
    if (!run) {
      // A run starts with the first trained steps of a model (not when a save's curves come back
      // with a new model; and a short run's steps may all arrive with its last progress, 'done').
      if (s.losses.length === 0 || s.losses === prev.losses || s.model.id !== prev.model?.id || (s.run.state !== 'running' && !stopped)) return;
      const from = s.thisRun?.from ?? 0;
      const config = runConfigOf(s.model, s.run.targetSteps - from);
      const parentRun = s.model.origin === 'forked' ? runOfModel(useRuns.get().runs, s.model.parentId) : undefined;
      const parent = parentRun ? { id: parentRun.id, step: from, config: parentRun.config, backend: parentRun.backend } : undefined;
      runsActions.addRun({
        config,
        seed: config.train.seed,
        backend: s.backend?.name ?? '?',
        curves: curvesOf(s),
        tracks: tracksOf(s),
        modelIds: [s.model.id],
        from,
        charsPerToken: s.model.charsPerToken,
        ...(parent ? { parent } : {}),
      });
      lastWrite = performance.now();
      return;
    }
    if (!stopped && performance.now() - lastWrite < RECORD_MS) return;
    lastWrite = performance.now();
    runsActions.updateRun(run.id, {
      curves: curvesOf(s),
      tracks: { ...run.tracks, ...tracksOf(s) },
      config: runConfigOf(s.model, s.run.targetSteps - run.from),
    });
    if (stopped && s.model.paramCount <= CKPT_MAX_PARAMS) saveCheckpoint(run.id);
  }

  /** Keep the run's last weights so it can be forked (the newest CKPT_SLOTS runs). */
  function saveCheckpoint(id: string): void {
    const runs = useRuns.get().runs;
    const { key, evict } = pickSlot(
      runs,
      runs.find((r) => r.id === id),
    );
    link.ask('save', { target: { kind: 'indexeddb', key } }).then(
      (answer) => {
        if (evict) runsActions.updateRun(evict, { checkpoint: undefined });
        runsActions.updateRun(id, { checkpoint: { key, step: answer.step } });
      },
      (e: unknown) => report(store, e),
    );
  }

  function withConfirm(proceed: () => void): void {
    const s = store.get();
    if (s.model && askBeforeReplacing(s)) s.ask({ kind: 'fork', modelId: s.model.id, proceed });
    else proceed();
  }

  return {
    /** Follow the store and keep the runs list (call once; returns the unsubscribe). */
    recordRuns(): () => void {
      return store.subscribe(record);
    },
    /** A new run from `id`'s last checkpoint with one setting changed. */
    forkRun(id: string, change: ForkChange): void {
      const run = useRuns.get().runs.find((r) => r.id === id);
      const ckpt = run?.checkpoint;
      if (!run || !ckpt) return; // the button is off without one; a checkpoint gone from storage fails in the worker, with its reason
      withConfirm(() => {
        store.get().setBusy(true);
        // It trains as many steps as its parent did, unless the change is the steps.
        const steps = ckpt.step + Math.max(1, change.setting === 'steps' ? Math.round(change.value) : run.config.steps);
        link
          .ask('load', {
            source: {
              kind: 'indexeddb',
              key: ckpt.key,
              origin: 'forked',
              forkSteps: steps - ckpt.step,
              ...(change.setting === 'lr' ? { learningRate: change.value } : {}),
            },
          })
          .then(
            () => link.send('resume', { target: steps }),
            (e: unknown) => {
              store.get().setBusy(false);
              report(store, e);
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
        vocabSize: c.tokenizer.kind === 'char' ? store.get().settings.vocabSize : c.tokenizer.vocabSize,
        lr: c.train.learningRate,
        steps: c.steps,
      };
      startWhenReady = { modelId: store.get().model?.id, until: performance.now() + 120_000 };
      store.get().setSettings(patch);
      const bundled = c.corpus.bundled;
      if (bundled && isBundledCorpus(bundled)) rebuild.chooseBundled(bundled);
      else rebuild.applyModel(preset, { ...c.model });
    },
    removeRun: (id: string) => runsActions.remove(id),
    undoRemoveRun: () => runsActions.undoRemove(),
  };
}
