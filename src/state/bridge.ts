/**
 * The bridge between the training worker and the store: `createBridge` returns one
 * `commands` object (everything the page can ask for) and routes every worker event to a
 * store action. Requests that expect an answer wait in one `pending` map, keyed by request
 * id. No React here, no DOM, and no training maths: every question goes to the worker,
 * and every sentence is a notice the UI says in the person's language.
 */
import type { ModelConfig } from '../config';
import { notice, noticeOf } from '../i18n';
import type { Listener, WaitingFor } from '../worker/client';
import { AUTOSAVE_KEY, assertNever, type BackendName, type CheckpointFiles, type FromWorker, type ToWorker } from '../worker/protocol';
import type { BundledCorpus } from './corpora';
import { livePredictInterval } from './livePredict';
import { ModelBuilder } from './modelBuilder';
import { fitPromptToCorpus } from './dna';
import { sizeCommands } from './sizeCommands';
import { tuneCommands } from './tuneCommands';
import { runCommands } from './runCommands';
import { insideCommands } from './inside';
import { requestBowView } from './bow';
import { experimentCommands, onExperimentEvent } from './experiments';
import { hfFolderAsCheckpoint, isHfFolder } from './hfImport';
import { AUTOSAVE_RECORD, storedSetting, writeSetting } from './settings';
import { actions as storeActions, useFolio, type FolioState, type SavedRecord, type Settings } from './store';

const TYPING_DEBOUNCE_MS = 120;

/** Maximum sizes of checkpoint files a person imports, checked before reading them. */
export const MAX_CHECKPOINT_JSON = 64 * 1024 * 1024;
export const MAX_CHECKPOINT_WEIGHTS = 512 * 1024 * 1024;

/** What the bridge needs of the worker client (TrainerClient, or a fake in tests). */
export interface ClientLike {
  id(): number;
  send(msg: ToWorker, transfer?: Transferable[]): void;
  restart(cause: { stalledSeconds: number }): void;
  recover?: () => { messages: ToWorker[]; step: number } | undefined;
  onStall?: (silentMs: number, what: WaitingFor) => void;
}

export interface BridgeDeps {
  /** Start the worker client, with the listener for its events (once, on first use). */
  connect: (listener: Listener) => ClientLike;
  /** Hand checkpoint files to the person (the UI saves them as downloads; 'hf': as a Hugging Face GPT-2 folder). */
  download: (files: CheckpointFiles, baseName: string, format?: 'hf') => void;
  store?: { actions: typeof storeActions; getState: () => FolioState };
}

/** What a request waits for: its answer (or the error that came instead). */
type Pending = (msg: FromWorker) => void;

export type Commands = ReturnType<typeof createBridge>['commands'];

export function createBridge(deps: BridgeDeps) {
  const { actions, getState } = deps.store ?? { actions: storeActions, getState: useFolio.getState };
  let client: ClientLike | undefined;
  const pending = new Map<number, Pending>();
  let lastLivePredict = 0;
  /** How long the last prediction took, request to answer (sets the live interval). */
  let lastPredictionMs = 0;
  let lastPredictedStep = -1;
  let debounce: ReturnType<typeof setTimeout> | undefined;

  const c = (): ClientLike => (client ??= connected());
  const builder = new ModelBuilder({ send: (m, t) => c().send(m, t), ask, actions, getState, restoreHistory });

  function connected(): ClientLike {
    const cl = deps.connect(onMessage);
    // Silence while training is the crash path too, offered rather than forced: a person
    // may know the machine was busy.
    cl.onStall = (silentMs, what) => {
      const seconds = Math.round(silentMs / 1000);
      const said = what === 'run' ? notice('stalled', { seconds }) : notice('noAnswer', { what, seconds });
      actions.failed({ scope: 'worker', notice: said, action: { label: 'restartWorker', run: () => cl.restart({ stalledSeconds: seconds }) } });
    };
    // A crashed worker comes back with the last autosave, when there is one.
    cl.recover = () => {
      const r = getState().lastSave;
      if (!r) return undefined;
      return { messages: [{ type: 'load', requestId: cl.id(), source: { kind: 'indexeddb', key: AUTOSAVE_KEY } }], step: r.step };
    };
    return cl;
  }

  /** Send a request and route its answer (or its error) to `then`. */
  function ask(make: (requestId: number) => ToWorker, then: Pending, transfer?: Transferable[]): void {
    const requestId = c().id();
    pending.set(requestId, then);
    c().send(make(requestId), transfer);
  }

  function onMessage(msg: FromWorker): void {
    const waiting = 'requestId' in msg && msg.requestId !== undefined ? pending.get(msg.requestId) : undefined;
    if (waiting && msg.type !== 'generated') {
      pending.delete((msg as { requestId: number }).requestId);
      return waiting(msg);
    }
    switch (msg.type) {
      case 'backend':
        return actions.setBackend(msg.backend);
      case 'ready':
        actions.setBackend(msg.backend);
        builder.ready(msg.model);
        actions.tune({ stages: [{ kind: 'pretrain', steps: msg.model.step }], metrics: [], before: undefined, pair: undefined }); // 'loaded' follows with a checkpoint's own
        return afterModelChange();
      case 'loaded':
        // 'ready' (sent first) set the model up; a saved session also brings its curves back.
        actions.tune({ stages: msg.stages ?? [], ratings: msg.ratings ?? [], metrics: [], before: undefined });
        return restoreHistory(msg);
      case 'tuneProgress':
        actions.tune((t) => ({ method: msg.method, metrics: [...t.metrics, ...msg.metrics].slice(-2000), stages: msg.stages }));
        actions.tuned(msg.metrics.length);
        if (performance.now() - lastLivePredict > livePredictInterval(lastPredictionMs)) commands.predictNow();
        return;
      case 'autosaved': {
        const record: SavedRecord = { step: msg.step, corpusName: msg.corpusName, savedAt: Date.now() };
        actions.saved(record);
        writeSetting(AUTOSAVE_RECORD, JSON.stringify(record));
        return;
      }
      case 'progress': {
        const { type: _t, losses, ...run } = msg;
        actions.progress(run, losses);
        // The weights changed: refresh the next-word view — about twice a second while
        // training (less often when predictions are slow: livePredict.ts), and once when it
        // stops (not again for the same step).
        if (msg.step !== lastPredictedStep && (msg.state !== 'running' || performance.now() - lastLivePredict > livePredictInterval(lastPredictionMs))) {
          lastPredictedStep = msg.step;
          commands.predictNow();
          if (msg.state !== 'running') commands.requestAttention();
        }
        return;
      }
      case 'eval':
        return actions.evaluated(msg.result);
      case 'sample':
        return actions.sampled(msg.step, msg.text);
      case 'error':
        switch (msg.scope) {
          case 'predict':
            return actions.predictionFailed(msg.notice);
          case 'generate':
            return actions.generationFailed(msg.requestId ?? -1, msg.notice);
          case 'configure':
            return builder.configureFailed(msg.notice);
          default:
            return actions.failed({ scope: msg.scope, notice: msg.notice });
        }
      case 'prediction':
        lastPredictionMs = performance.now() - lastLivePredict;
        return actions.predicted({ prompt: msg.prompt, step: msg.step, requestId: msg.requestId, result: msg.prediction });
      case 'generated':
        return actions.generated(msg.requestId, msg.token, msg.done);
      case 'saved':
        if (msg.files) deps.download(msg.files, fileBase(msg.step));
        return;
      case 'attention': // answers to requests this bridge no longer waits for
      case 'bowView':
      case 'corpusChecked':
      case 'memory':
      case 'samplePair':
      case 'referencePrediction':
      case 'sizeProbe':
      case 'inside':
        return;
      case 'busy':
        return actions.building({ done: msg.done, total: msg.total });
      case 'experiment': // the backend race and the size sweep (experiments.ts)
        return onExperimentEvent(msg.event);
      default:
        return assertNever(msg);
    }
  }

  function restoreHistory(msg: Extract<FromWorker, { type: 'loaded' }>): void {
    const h = msg.history;
    if (h) actions.restoreHistory({ losses: h.losses, evals: h.evals, samples: h.samples });
    // A loaded DNA model gets a DNA prompt (and a text model the fox sentence back), as choosing its corpus does.
    const s = getState();
    fitPromptToCorpus(msg.model.tokenizer === 'kmer' ? 'dna' : 'fox', s.prompt, s.settings.track, { prompt: actions.setPrompt, track: (track) => actions.setSettings({ track }) });
    // 'ready' already asked about the old prompt (the fox sentence, read by the genome model): ask about the new one.
    const now = getState();
    if (now.prompt !== s.prompt || now.settings.track !== s.settings.track) afterModelChange();
  }

  /** The files are named after the step of the checkpoint they hold (not the page's counter, which may have moved on). */
  function fileBase(step: number): string {
    return `folio-${(getState().model?.corpusName ?? 'model').replace(/[^\w.-]+/g, '-').slice(0, 40)}-step${step}`;
  }

  function afterModelChange(): void {
    lastPredictedStep = getState().run.step;
    commands.predictNow();
    commands.requestAttention();
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

  const tuning = tuneCommands({ send: (m) => c().send(m), ask, actions, getState });
  // The runs list: recorded from the store, forks and re-runs (runCommands.ts).
  const runs = runCommands({
    send: (m) => c().send(m), ask, route: onMessage, actions, getState, subscribe: (l) => useFolio.subscribe(l),
    rebuild: { chooseBundled: (id) => builder.chooseBundled(id), applyModel: (p, m) => builder.applyModel(p, m), trainFromScratch: () => commands.trainFromScratch(), startAfterLoad: (steps) => (c().send({ type: 'target', steps }), c().send({ type: 'start' })) },
  });

  const commands = {
    ...tuning,
    ...sizeCommands({ ask, actions, getState }),
    ...runs,
    ...insideCommands({ send: (m) => c().send(m), ask, id: () => c().id() }),
    ...experimentCommands((m) => c().send(m)),
    /** Pick the backend, offer an earlier visit's save, and build the first model. */
    async start(backend: BackendName | 'auto'): Promise<void> {
      actions.offerResume(savedRecord());
      c().send({ type: 'init', backend });
      await builder.first();
      void requestBowView(ask);
    },

    // Questions to the model

    /** Ask for the next words after the current prompt (newest request wins). */
    predictNow(): void {
      const { prompt, settings } = getState();
      lastLivePredict = performance.now();
      c().send({ type: 'predict', requestId: c().id(), prompt, topTokens: 10, topWords: 10, track: settings.track });
    },
    /** Attention maps for the prompt and the two "bow" sentences. */
    requestAttention(): void {
      const view = (key: keyof FolioState['attention'], prompt: string) => {
        if (!prompt) return;
        ask(
          (requestId) => ({ type: 'attention', requestId, prompt }),
          (answer) => (answer.type === 'attention' ? actions.attended(key, { tokens: answer.tokens, maps: answer.maps }) : undefined), // an error: the view keeps what it had
        );
      };
      view('prompt', getState().prompt);
      // The "bow" pair is read by the bundled bow model, once (state/bow.ts), not by this one.
    },
    /** The person typed: remember the prompt now, ask the model once typing pauses. */
    setPrompt(prompt: string): void {
      if (prompt !== getState().prompt) actions.clearTrack();
      actions.setPrompt(prompt);
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        commands.predictNow();
        if (getState().run.state !== 'running') commands.requestAttention();
      }, TYPING_DEBOUNCE_MS);
    },
    setTrack(word: string): void {
      actions.setSettings({ track: word });
      actions.clearTrack();
      clearTimeout(debounce);
      debounce = setTimeout(commands.predictNow, TYPING_DEBOUNCE_MS);
    },
    generate(): void {
      const { prompt, settings } = getState();
      const requestId = c().id();
      const sample = { ...settings.sample, seed: requestId }; // a new draw each press
      actions.generationStarted(requestId, prompt, sample.greedy);
      c().send({ type: 'generate', requestId, prompt, sample });
    },

    // Corpus and model

    chooseBundled: (id: BundledCorpus) => builder.chooseBundled(id),
    upload: (file: File) => builder.upload(file),
    paste: (text: string) => builder.paste(text),
    retokenize: (kind: Settings['tokenizer'], vocabSize: number, kmer?: { k: number; overlap: boolean }) => builder.retokenize(kind, vocabSize, kmer),
    applyModel: (preset: Settings['preset'], custom: ModelConfig) => builder.applyModel(preset, custom),

    // Training

    /** New random weights, then train for the chosen number of steps. */
    trainFromScratch(): void {
      // A fine-tuned model holds the person's ratings and examples turned into weights: ask before random weights replace it.
      const { tune, trainedHere } = getState();
      if (trainedHere > 0 && tune.stages.some((s) => s.kind !== 'pretrain' && s.steps > 0)) return actions.ask({ steps: trainedHere, kind: 'scratch', proceed: commands.trainFromScratchNow });
      commands.trainFromScratchNow();
    },
    trainFromScratchNow(): void {
      const { run, settings } = getState();
      if (run.step > 0 || settings.lr > 0 || getState().model?.train.decaySteps !== settings.steps) c().send({ type: 'reset', decaySteps: settings.steps, ...(settings.lr > 0 ? { learningRate: settings.lr } : {}) });
      c().send({ type: 'target', steps: settings.steps });
      c().send({ type: 'start' });
    },
    pause: () => c().send({ type: 'pause' }),
    /** Go on from here; a finished run gets the chosen number of steps more. */
    resume(): void {
      const { run, settings } = getState();
      if (run.step >= run.targetSteps) c().send({ type: 'target', steps: run.step + settings.steps });
      c().send({ type: 'resume' });
    },
    step(): void {
      const { run } = getState();
      if (run.step >= run.targetSteps) c().send({ type: 'target', steps: run.step + 1 });
      c().send({ type: 'step', count: 1 });
    },
    setSteps(steps: number): void {
      actions.setSettings({ steps });
      const { run, model } = getState();
      // The run's target follows the setting unless that would end a run that is past it.
      if (model && steps > run.step) c().send({ type: 'target', steps });
    },

    // Checkpoints

    /** Continue the run saved by an earlier visit. */
    resumeSaved(): void {
      actions.offerResume(undefined);
      actions.setBusy(true);
      builder.loadingCheckpoint();
      c().send({ type: 'load', requestId: c().id(), source: { kind: 'indexeddb', key: AUTOSAVE_KEY } });
    },
    dismissSaved: () => actions.offerResume(undefined),
    /** Save the model to files (also the "save a checkpoint first" of the confirm dialog). */
    exportCheckpoint: () => c().send({ type: 'save', requestId: c().id(), target: { kind: 'export' } }),
    /** Save the model as a Hugging Face GPT-2 folder: the worker's files, converted by the page (ui/hfDownload.ts). */
    exportHuggingFace: () => ask((requestId) => ({ type: 'save', requestId, target: { kind: 'export' } }), (msg) => (msg.type === 'saved' && msg.files ? deps.download(msg.files, fileBase(msg.step), 'hf') : onMessage(msg))),
    /** Files exported earlier: the .json and the .weights.bin, both checked for size first (or a Hugging Face folder, hfImport.ts). */
    async importCheckpoint(files: File[]): Promise<void> {
      if (isHfFolder(files)) {
        try {
          files = await hfFolderAsCheckpoint(files);
        } catch (e) {
          return actions.failed({ scope: 'checkpoint', notice: noticeOf(e) });
        }
      }
      const json = files.find((f) => /\.json$/i.test(f.name));
      const weights = files.find((f) => f !== json);
      if (!json || !weights) return actions.failed({ scope: 'checkpoint', notice: notice('chooseBothFiles') });
      if (json.size > MAX_CHECKPOINT_JSON || weights.size > MAX_CHECKPOINT_WEIGHTS) return actions.failed({ scope: 'checkpoint', notice: notice('filesTooLarge') });
      const loaded = { json: await json.text(), weights: await weights.arrayBuffer() };
      builder.replaceModel(() => {
        builder.loadingCheckpoint();
        c().send({ type: 'load', requestId: c().id(), source: { kind: 'files', files: loaded } }, [loaded.weights]);
      }, { kind: 'import', what: json.name });
    },
  };
  return { commands, onMessage };
}
