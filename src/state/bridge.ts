/**
 * The bridge between the training worker and the page's stores: `createBridge` makes the
 * one worker link (link.ts), routes every worker event to the store that keeps it, and
 * returns the page's commands grouped by panel (commands/*.ts). When the worker makes a
 * new model live, every store takes it (`modelChanged`), so nothing derived from the old
 * model stays on screen. No React here, no DOM, and no training maths: every question goes
 * to the worker, and every sentence is a notice the UI says in the person's language.
 */
import { notice } from '../i18n';
import type { Listener } from '../worker/client';
import { AUTOSAVE_KEY, assertNever, type BackendName, type Event, type ToWorker } from '../worker/protocol';
import { requestBowView } from './bow';
import { checkpointCommands, type Download } from './commands/checkpoints';
import { ModelBuilder } from './commands/corpus';
import { report, type PageContext } from './commands/context';
import { experimentCommands } from './commands/experiments';
import { fineTuneCommands } from './commands/fineTune';
import { generateCommands } from './commands/generate';
import { hubCommands } from './commands/hub';
import { guestLoraCommands } from './commands/guestLora';
import { insideCommands } from './commands/inside';
import { modelCommands } from './commands/model';
import { nextWordsCommands } from './commands/nextWords';
import { attentionCommands } from './commands/attention';
import { rewindCommands } from './commands/rewind';
import { runCommands } from './commands/runs';
import { trainingCommands } from './commands/training';
import type { Settings } from './store';
import { fitPromptToCorpus } from './dna';
import { experimentsOnModel, onExperimentEvent } from './experiments';
import { insideOnModel } from './inside';
import { createLink, type ClientLike } from './link';
import { AUTOSAVE_RECORD, storedSetting, writeSetting } from './settings';
import { useFolio, type FolioState, type PageStore, type SavedRecord } from './store';

export type { ClientLike } from './link';
export { MAX_CHECKPOINT_JSON, MAX_CHECKPOINT_WEIGHTS } from './commands/checkpoints';

export interface BridgeDeps {
  /** Start the worker client, with the listener for its events (once, on first use). */
  connect: (listener: Listener) => ClientLike;
  /** Hand checkpoint files to the person (the UI saves them as downloads; 'hf': as a Hugging Face GPT-2 folder). */
  download: Download;
  store?: PageStore<FolioState>;
}

export type Commands = ReturnType<typeof createBridge>['commands'];

/** The banners that say the worker went silent (taken back when it is heard again). */
const STALL_CODES: readonly string[] = ['stalled', 'noAnswer'];

export function createBridge(deps: BridgeDeps) {
  const store = deps.store ?? useFolio;
  const link = createLink({ connect, onEvent, modelId: () => store.get().model?.id });
  const ctx: PageContext = { link, store };

  const builder = new ModelBuilder(ctx);
  const nextWords = nextWordsCommands(ctx);
  const training = trainingCommands(ctx);
  const hub = hubCommands(ctx);

  function connect(listener: Listener): ClientLike {
    const cl = deps.connect(listener);
    // Silence while training is the crash path too, offered rather than forced: a person
    // may know the machine was busy.
    cl.onStall = (silentMs, what) => {
      const seconds = Math.round(silentMs / 1000);
      const said = what === 'run' ? notice('stalled', { seconds }) : notice('noAnswer', { what, seconds });
      store.get().failed({ scope: 'worker', notice: said, action: { label: 'restartWorker', run: () => cl.restart({ stalledSeconds: seconds }) } });
    };
    // A crashed worker comes back with the last autosave of this model (or the save it was resumed from), when there is one.
    cl.recover = () => {
      const { lastSave, model } = store.get();
      if (!lastSave || !model || (lastSave.modelId !== model.id && lastSave.modelId !== model.parentId)) return undefined;
      const reload: ToWorker = { type: 'load', requestId: cl.id(), source: { kind: 'indexeddb', key: AUTOSAVE_KEY, origin: 'restored' } };
      return { messages: [reload], step: lastSave.step };
    };
    return cl;
  }

  function onEvent(e: Event): void {
    const s = store.get();
    switch (e.type) {
      case 'backend':
        return s.setBackend(e.backend);
      case 'model':
        return modelChanged(e);
      case 'progress':
        // The worker is heard from again: a "stalled" or "no answer" banner no longer holds.
        if (s.error?.scope === 'worker' && STALL_CODES.includes(s.error.notice.code)) s.clearError();
        s.progress(e);
        return nextWords.afterProgress(e);
      case 'eval':
        return s.evaluated(e);
      case 'sample':
        return s.sampled(e);
      case 'generated':
        return s.generated(e);
      case 'tuneProgress':
        return s.tuneProgress(e);
      case 'snapshots': // rewind's snapshots of the live model's run
        return s.snapshotsListed(e);
      case 'autosaved': {
        const record: SavedRecord = { modelId: e.modelId, step: e.step, totalSteps: e.totalSteps, corpusName: e.corpusName, savedAt: Date.now() };
        s.saved(record);
        writeSetting(AUTOSAVE_RECORD, JSON.stringify(record));
        return;
      }
      case 'busy':
        return s.setBuilding({ done: e.done, total: e.total });
      case 'experiment': // the backend race and the size sweep (experiments.ts)
        return onExperimentEvent(e.event, s.model);
      case 'error':
        if (e.scope === 'predict') return s.predictionFailed(e.notice);
        return s.failed({ scope: e.scope, notice: e.notice });
      default:
        return assertNever(e);
    }
  }

  /** A new model is live: every store takes it, then the model is asked about the prompt on show. */
  function modelChanged(e: Event<'model'>): void {
    store.get().modelChanged(e);
    builder.modelChanged();
    insideOnModel(e.model.id, store.get().settings.track);
    experimentsOnModel(e.model);
    // A DNA model gets a DNA prompt (and a text model the fox sentence back), as choosing its corpus does.
    const s = store.get();
    fitPromptToCorpus(e.model.tokenizer === 'kmer' ? 'dna' : 'fox', s.prompt, s.settings.track, {
      prompt: s.setPrompt,
      track: (track) => s.setSettings({ track }),
    });
    nextWords.afterModelChange();
  }

  /** The autosave an earlier visit left, if any (its summary lives in localStorage). */
  function savedRecord(): SavedRecord | undefined {
    try {
      const r = JSON.parse(storedSetting(AUTOSAVE_RECORD) ?? 'null') as SavedRecord | null;
      return r && Number.isInteger(r.step) && typeof r.corpusName === 'string' ? r : undefined;
    } catch {
      return undefined;
    }
  }

  const corpus = {
    chooseBundled: (id: Settings['corpus']) => builder.chooseBundled(id),
    upload: (file: File) => builder.upload(file),
    paste: (text: string) => builder.paste(text),
    retokenize: (kind: Settings['tokenizer'], vocabSize: number, kmer?: { k: number; overlap: boolean }) => builder.retokenize(kind, vocabSize, kmer),
  };
  const model = modelCommands(ctx, builder);

  const commands = {
    app: {
      /** Pick the backend, offer an earlier visit's save, and build the first model. */
      async start(backend: BackendName | 'auto'): Promise<void> {
        store.get().offerResume(savedRecord());
        link.ask('init', { backend }).catch((e: unknown) => report(store, e));
        await builder.first();
        void requestBowView(link);
        void hub.restore(); // GPT-2 from the last visit, from the browser's cache
      },
    },
    nextWords: nextWords.commands,
    hub,
    guestLora: guestLoraCommands(ctx, () => hub.predict()),
    training,
    corpus,
    model,
    generate: generateCommands(ctx),
    fineTune: fineTuneCommands(ctx),
    inside: insideCommands(ctx),
    rewind: rewindCommands(ctx),
    attention: attentionCommands(ctx),
    experiments: experimentCommands(ctx),
    runs: runCommands(ctx, { chooseBundled: corpus.chooseBundled, applyModel: model.applyModel, trainFromScratch: training.trainFromScratch }),
    checkpoints: checkpointCommands(ctx, builder, deps.download),
  };
  return { commands, link };
}
