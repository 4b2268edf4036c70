/**
 * The bridge between the training worker and the store: it owns the one
 * TrainerClient, turns every worker event into a store action, and offers the page's
 * commands (train, build a model, swap the corpus, generate, look at attention).
 * No React here, and no training maths: every question goes to the worker.
 */
import { MODEL_PRESETS, TRAIN_PRESETS, type ModelConfig } from '../config';
import { loadBundledCorpus, type BundledCorpus } from './corpora';
import { DEFAULT_MAX_CORPUS_BYTES } from '../data/corpus';
import { fetchPretrained, findPretrained } from './pretrained';
import { TrainerClient } from '../worker/client';
import { AUTOSAVE_KEY, assertNever, type BackendName, type FromWorker, type SavedHistory, type SessionConfig } from '../worker/protocol';
import { AUTOSAVE_RECORD, storedSetting, writeSetting } from './settings';
import { STRINGS } from '../ui/i18n';
import { livePredictInterval } from './livePredict';
import { actions, BOW_SENTENCES, useFolio, type FolioState, type Notice, type SavedRecord, type Settings } from './store';


const TYPING_DEBOUNCE_MS = 120;
const SAMPLE_EVERY = 100;

let client: TrainerClient | undefined;
let lastLivePredict = 0;
/** How long the last prediction took, request to answer (sets the live interval). */
let lastPredictionMs = 0;
let lastPredictedStep = -1;
let debounce: ReturnType<typeof setTimeout> | undefined;
/** Which attention view each pending request fills. */
const attentionRequests = new Map<number, keyof FolioState['attention']>();
/** Corpora waiting for the worker's check before the page asks to replace the model. */
const corpusChecks = new Map<number, CorpusSource>();
/** What the last configure was for, so its failure is shown in the right place. */
let configuring: 'corpus' | 'model' | undefined;

function onMessage(msg: FromWorker): void {
  switch (msg.type) {
    case 'backend':
      return actions.setBackend(msg.backend);
    case 'ready':
      actions.setBackend(msg.backend);
      configuring = undefined;
      activeCorpus = pendingCorpus ?? activeCorpus;
      actions.modelReady(msg.model, pendingDemo);
      pendingDemo = false;
      if (noticeWhenReady) actions.failed(noticeWhenReady);
      noticeWhenReady = undefined;
      return afterModelChange();
    case 'loaded': {
      if (msg.requestId === pretrainedLoad?.requestId) pretrainedLoad = undefined;
      // 'ready' (sent first) set the model up; a saved session also brings its curves back.
      const h = msg.extra?.history as SavedHistory | undefined;
      if (h && Array.isArray(h.losses)) actions.restoreHistory({ losses: h.losses, evals: h.evals ?? [], samples: h.samples ?? [] });
      return;
    }
    case 'autosaved': {
      const record: SavedRecord = { step: msg.step, corpusName: msg.corpusName, savedAt: Date.now() };
      actions.saved(record);
      writeSetting(AUTOSAVE_RECORD, JSON.stringify(record));
      return;
    }
    case 'progress': {
      const { type: _t, losses, ...run } = msg;
      actions.progress(run, losses);
      // The weights changed: refresh the next-word view — about once a second while
      // training (less often when predictions are slow: livePredict.ts), and once when it
      // stops (not again for the same step).
      if (msg.step !== lastPredictedStep && (msg.state !== 'running' || performance.now() - lastLivePredict > livePredictInterval(lastPredictionMs))) {
        lastPredictedStep = msg.step;
        predictNow();
        if (msg.state !== 'running') requestAttention();
      }
      return;
    }
    case 'eval':
      return actions.evaluated(msg.result);
    case 'sample':
      return actions.sampled(msg.step, msg.text);
    case 'error':
      if (pretrainedLoad && msg.requestId === pretrainedLoad.requestId) return pretrainedFailed(pretrainedLoad.config, msg.message);
      switch (msg.scope) {
        case 'predict': {
          const key = msg.requestId !== undefined ? attentionRequests.get(msg.requestId) : undefined;
          if (key) return void attentionRequests.delete(msg.requestId!);
          return actions.predictionFailed(msg.message);
        }
        case 'generate':
          return actions.generationFailed(msg.requestId ?? -1, msg.message);
        case 'configure':
          if (configuring === 'corpus') {
            configuring = undefined;
            return actions.corpusRejected(msg.message);
          }
          configuring = undefined;
          return actions.failed({ scope: msg.scope, message: msg.message });
        default:
          return actions.failed({ scope: msg.scope, message: msg.message });
      }
    case 'prediction':
      lastPredictionMs = performance.now() - lastLivePredict;
      return actions.predicted({ prompt: msg.prompt, step: msg.step, requestId: msg.requestId, result: msg.prediction });
    case 'attention': {
      const key = attentionRequests.get(msg.requestId);
      attentionRequests.delete(msg.requestId);
      if (key) actions.attended(key, { tokens: msg.tokens, maps: msg.maps });
      return;
    }
    case 'generated':
      return actions.generated(msg.requestId, msg.token, msg.done);
    case 'saved':
      if (msg.files) download(msg.files.json, msg.files.weights, msg.step);
      return;
    case 'memory':
      return;
    case 'corpusChecked': {
      const pending = corpusChecks.get(msg.requestId);
      corpusChecks.delete(msg.requestId);
      if (!pending) return;
      if (!msg.ok) return actions.corpusRejected(msg.message);
      actions.setBusy(false);
      return replaceModel(() => {
        configuring = 'corpus';
        void build(pending, false);
      });
    }
    default:
      return assertNever(msg);
  }
}

function afterModelChange(): void {
  lastPredictedStep = useFolio.getState().run.step;
  predictNow();
  requestAttention();
}

export function getClient(): TrainerClient {
  if (client) return client;
  const c = (client = new TrainerClient(onMessage));
  // Silence while training is the crash path too, offered rather than forced: a
  // person may know the machine was busy.
  c.onStall = (silentMs) => {
    const t = STRINGS[useFolio.getState().settings.lang];
    const seconds = Math.round(silentMs / 1000);
    actions.failed({ scope: 'worker', message: t.stalled(seconds), action: { label: t.restartWorker, run: () => c.restart(`no progress for ${seconds} s`, 'stalled') } });
  };
  return c;
}

// ---------------------------------------------------------------------------------
// Questions to the model

/** Ask for the next words after the current prompt (newest request wins). */
export function predictNow(): void {
  const { prompt, settings } = useFolio.getState();
  lastLivePredict = performance.now();
  const c = getClient();
  c.send({ type: 'predict', requestId: c.id(), prompt, topTokens: 10, topWords: 10, track: settings.track });
}

/** Attention maps for the prompt and the two "bow" sentences. */
export function requestAttention(): void {
  const c = getClient();
  const ask = (key: keyof FolioState['attention'], prompt: string) => {
    if (!prompt) return;
    const requestId = c.id();
    attentionRequests.set(requestId, key);
    c.send({ type: 'attention', requestId, prompt });
  };
  ask('prompt', useFolio.getState().prompt);
  ask('bowShow', BOW_SENTENCES.bowShow);
  ask('bowTarget', BOW_SENTENCES.bowTarget);
}

/** The person typed: remember the prompt now, ask the model once typing pauses. */
export function setPrompt(prompt: string): void {
  if (prompt !== useFolio.getState().prompt) actions.clearTrack();
  actions.setPrompt(prompt);
  clearTimeout(debounce);
  debounce = setTimeout(() => {
    predictNow();
    if (useFolio.getState().run.state !== 'running') requestAttention();
  }, TYPING_DEBOUNCE_MS);
}

export function setTrack(word: string): void {
  actions.setSettings({ track: word });
  actions.clearTrack();
  clearTimeout(debounce);
  debounce = setTimeout(predictNow, TYPING_DEBOUNCE_MS);
}

export function generate(): void {
  const { prompt, settings } = useFolio.getState();
  const c = getClient();
  const requestId = c.id();
  const sample = { ...settings.sample, seed: requestId }; // a new draw each press
  actions.generationStarted(requestId, prompt, sample.greedy);
  c.send({ type: 'generate', requestId, prompt, sample });
}

// ---------------------------------------------------------------------------------
// Building models

/** The model sizes the settings ask for. */
export function modelFromSettings(s: Settings): ModelConfig {
  return s.preset === 'custom' ? { ...s.custom } : { ...MODEL_PRESETS[s.preset] };
}

function sessionConfig(s: Settings, corpus: { name: string; text: string }): SessionConfig {
  const base = TRAIN_PRESETS[s.preset === 'custom' ? 'nano' : s.preset];
  const lr = s.lr > 0 ? { learningRate: s.lr, minLearningRate: Math.min(base.minLearningRate, s.lr / 10) } : {};
  return {
    model: modelFromSettings(s),
    train: { ...base, ...lr, decaySteps: s.steps },
    tokenizer: { kind: s.tokenizer, vocabSize: s.vocabSize },
    corpus,
    targetSteps: s.steps,
    sampleEvery: SAMPLE_EVERY,
    sampleTokens: 120,
  };
}

let pendingDemo = false;
/** The bundled checkpoint being loaded, and the fresh model to fall back on if it fails. */
let pretrainedLoad: { requestId: number; config: SessionConfig } | undefined;

/** Shown once the next model is ready (a new model clears older notices). */
let noticeWhenReady: Notice | undefined;

/** The bundled trained model did not load: fresh random weights instead, and say why. */
function pretrainedFailed(config: SessionConfig, why: string): void {
  pendingDemo = false;
  pretrainedLoad = undefined;
  noticeWhenReady = { scope: 'checkpoint', message: STRINGS[useFolio.getState().settings.lang].pretrainedFailed(why) };
  getClient().send({ type: 'configure', config });
}

/** A corpus as the page holds it: a bundled one by id, a person's text as bytes. */
type CorpusSource = { kind: 'bundled'; id: BundledCorpus } | { kind: 'bytes'; name: string; bytes: ArrayBuffer };
/** The corpus of the active model, and the one being built (active once the worker is ready). */
let activeCorpus: CorpusSource | undefined;
let pendingCorpus: CorpusSource | undefined;

/**
 * Build a model for the settings on `source`: the bundled pre-trained checkpoint when
 * one matches (so the first screen says something), otherwise fresh random weights.
 * A person's bytes are copied to the worker (not transferred) so a later rebuild —
 * another tokenizer or size — can send them again; they are decoded and checked there.
 */
async function build(source: CorpusSource, usePretrained: boolean): Promise<void> {
  const s = useFolio.getState().settings;
  const c = getClient();
  actions.setBusy(true);
  pendingCorpus = source;
  if (source.kind === 'bundled') {
    const config = sessionConfig(s, await loadBundledCorpus(source.id));
    const pre = usePretrained ? findPretrained(source.id, s.preset, s.tokenizer) : undefined;
    if (pre) {
      try {
        const files = await fetchPretrained(pre);
        pendingDemo = true;
        const requestId = c.id();
        pretrainedLoad = { requestId, config };
        c.send({ type: 'load', requestId, source: { kind: 'files', files, session: config } }, [files.weights]);
        return;
      } catch (e) {
        return pretrainedFailed(config, (e as Error).message);
      }
    }
    c.send({ type: 'configure', config });
  } else {
    c.send({ type: 'configure', config: sessionConfig(s, { name: source.name, text: '' }), corpusBytes: source.bytes.slice(0) });
  }
}

/** Ask first when a model the person trained would be replaced. */
function replaceModel(proceed: () => void): void {
  const { trainedHere } = useFolio.getState();
  if (trainedHere > 0) actions.ask({ steps: trainedHere, proceed });
  else proceed();
}

/** Have the worker check a person's text (off the page's thread) before anything is replaced. */
function check(source: Extract<CorpusSource, { kind: 'bytes' }>): void {
  const s = useFolio.getState().settings;
  const c = getClient();
  const requestId = c.id();
  corpusChecks.set(requestId, source);
  actions.setBusy(true);
  c.send({ type: 'checkCorpus', requestId, bytes: source.bytes.slice(0), tokenizer: { kind: s.tokenizer, vocabSize: s.vocabSize }, blockSize: modelFromSettings(s).blockSize });
}

export interface StartOptions {
  backend: BackendName | 'auto';
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

export async function startSession(o: StartOptions): Promise<void> {
  actions.offerResume(savedRecord());
  const c = getClient();
  // A crashed worker comes back with the last autosave, when there is one.
  c.recover = () => {
    const r = useFolio.getState().lastSave;
    if (!r) return undefined;
    return { messages: [{ type: 'load', requestId: c.id(), source: { kind: 'indexeddb', key: AUTOSAVE_KEY } }], note: `your model was reloaded from its last save, step ${r.step}.` };
  };
  c.send({ type: 'init', backend: o.backend });
  await build({ kind: 'bundled', id: useFolio.getState().settings.corpus }, true);
}

export const corpusCommands = {
  chooseBundled(id: BundledCorpus): void {
    replaceModel(() => {
      configuring = 'corpus';
      actions.setSettings({ corpus: id });
      void build({ kind: 'bundled', id }, true);
    });
  },
  /** A file the person chose or dropped: its size is checked before it is read. */
  async upload(file: File): Promise<void> {
    const t = STRINGS[useFolio.getState().settings.lang];
    if (file.size > DEFAULT_MAX_CORPUS_BYTES) return actions.corpusRejected(t.tooLarge(Math.round(DEFAULT_MAX_CORPUS_BYTES / 1e6)));
    const kind = /\.(pdf|docx?|odt|rtf|zip|gz|png|jpe?g|gif|epub|xlsx?|pptx?)$/i.exec(file.name)?.[1];
    if (kind) return actions.corpusRejected(t.notPlainText(kind.toUpperCase()));
    check({ kind: 'bytes', name: file.name, bytes: await file.arrayBuffer() });
  },
  paste(text: string): void {
    const t = STRINGS[useFolio.getState().settings.lang];
    if (!text.trim()) return actions.corpusRejected(t.emptyPaste);
    // More UTF-16 units than the byte cap means more bytes too: refuse without encoding it.
    if (text.length > DEFAULT_MAX_CORPUS_BYTES) return actions.corpusRejected(t.tooLarge(Math.round(DEFAULT_MAX_CORPUS_BYTES / 1e6)));
    check({ kind: 'bytes', name: pastedName(text), bytes: new TextEncoder().encode(text).buffer as ArrayBuffer });
  },
  /** Rebuild on the same corpus with another tokenizer. */
  retokenize(kind: Settings['tokenizer'], vocabSize: number): void {
    replaceModel(() => {
      configuring = 'corpus';
      actions.setSettings({ tokenizer: kind, vocabSize });
      void rebuildSameCorpus();
    });
  },
};

function pastedName(text: string): string {
  const first = text.trim().split(/\s+/).slice(0, 4).join(' ');
  return `pasted: “${first.length > 30 ? first.slice(0, 29) + '…' : first}”`;
}

/** The active model's corpus again, e.g. with another tokenizer or size. */
function rebuildSameCorpus(): Promise<void> {
  return build(activeCorpus ?? { kind: 'bundled', id: useFolio.getState().settings.corpus }, true);
}

export function applyModel(preset: Settings['preset'], custom: ModelConfig): void {
  replaceModel(() => {
    configuring = 'model';
    actions.setSettings({ preset, custom });
    void rebuildSameCorpus();
  });
}

// ---------------------------------------------------------------------------------
// Training

/** Maximum sizes of checkpoint files a person imports, checked before reading them. */
export const MAX_CHECKPOINT_JSON = 64 * 1024 * 1024;
export const MAX_CHECKPOINT_WEIGHTS = 512 * 1024 * 1024;

export const checkpointCommands = {
  /** Continue the run saved by an earlier visit. */
  resumeSaved: () => {
    const c = getClient();
    actions.offerResume(undefined);
    actions.setBusy(true);
    pendingCorpus = undefined;
    c.send({ type: 'load', requestId: c.id(), source: { kind: 'indexeddb', key: AUTOSAVE_KEY } });
  },
  dismissSaved: () => actions.offerResume(undefined),
  export: () => getClient().send({ type: 'save', requestId: getClient().id(), target: { kind: 'export' } }),
  /** Files exported earlier: the .json and the .weights.bin, both checked for size first. */
  async import(files: File[]): Promise<void> {
    const json = files.find((f) => /\.json$/i.test(f.name));
    const weights = files.find((f) => f !== json);
    if (!json || !weights) return actions.failed({ scope: 'checkpoint', message: 'Choose both files of a checkpoint: the .json and the .weights.bin.' });
    if (json.size > MAX_CHECKPOINT_JSON || weights.size > MAX_CHECKPOINT_WEIGHTS) {
      return actions.failed({ scope: 'checkpoint', message: 'These files are too large to be a Folio checkpoint.' });
    }
    const c = getClient();
    const loaded = { json: await json.text(), weights: await weights.arrayBuffer() };
    replaceModel(() => {
      pendingCorpus = undefined;
      c.send({ type: 'load', requestId: c.id(), source: { kind: 'files', files: loaded } }, [loaded.weights]);
    });
  },
};

export const commands = {
  /** New random weights, then train for the chosen number of steps. */
  trainFromScratch: () => {
    const c = getClient();
    const { run, settings } = useFolio.getState();
    if (run.step > 0 || settings.lr > 0) c.send({ type: 'reset', ...(settings.lr > 0 ? { learningRate: settings.lr } : {}) });
    c.send({ type: 'target', steps: settings.steps });
    c.send({ type: 'start' });
  },
  pause: () => getClient().send({ type: 'pause' }),
  /** Go on from here; a finished run gets the chosen number of steps more. */
  resume: () => {
    const c = getClient();
    const { run, settings } = useFolio.getState();
    if (run.step >= run.targetSteps) c.send({ type: 'target', steps: run.step + settings.steps });
    c.send({ type: 'resume' });
  },
  step: () => {
    const c = getClient();
    const { run } = useFolio.getState();
    if (run.step >= run.targetSteps) c.send({ type: 'target', steps: run.step + 1 });
    c.send({ type: 'step', count: 1 });
  },
  setSteps: (steps: number) => {
    actions.setSettings({ steps });
    const { run, model } = useFolio.getState();
    // The run's target follows the setting unless that would end a run that is past it.
    if (model && steps > run.step) getClient().send({ type: 'target', steps });
  },
  /** Save the model to files (the "save a checkpoint first" of the confirm dialog). */
  exportCheckpoint: () => checkpointCommands.export(),
};

/** The files are named after the step of the checkpoint they hold (not the page's counter, which may have moved on). */
function download(json: string, weights: ArrayBuffer, step: number): void {
  const model = useFolio.getState().model;
  const base = `folio-${(model?.corpusName ?? 'model').replace(/[^\w.-]+/g, '-').slice(0, 40)}-step${step}`;
  const save = (name: string, blob: Blob) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };
  save(`${base}.json`, new Blob([json], { type: 'application/json' }));
  save(`${base}.weights.bin`, new Blob([weights], { type: 'application/octet-stream' }));
}
