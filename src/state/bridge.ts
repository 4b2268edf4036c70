/**
 * The bridge between the training worker and the store: it owns the one
 * TrainerClient, turns every worker event into a store action, and offers the page's
 * commands. No React here.
 */
import { TRAIN_PRESETS, MODEL_PRESETS, type ModelPresetName } from '../config';
import { loadBundledCorpus, type BundledCorpus } from '../corpora';
import { TrainerClient } from '../train/client';
import { assertNever, type BackendName, type FromWorker, type SessionConfig } from '../train/protocol';
import type { TokenizerKind } from '../tokenizer';
import { actions, useFolio } from './store';

function onMessage(msg: FromWorker): void {
  switch (msg.type) {
    case 'backend':
      return actions.setBackend(msg.backend);
    case 'ready':
      actions.setBackend(msg.backend);
      actions.modelReady(msg.model);
      return predictNow();
    case 'progress': {
      const { type: _t, losses, ...run } = msg;
      actions.progress(run, losses);
      // The weights changed: refresh the next-word view — about once a second while
      // training, and once when it stops (not again for the same step).
      if (msg.step !== lastPredictedStep && (msg.state !== 'running' || performance.now() - lastLivePredict > LIVE_PREDICT_MS)) {
        lastPredictedStep = msg.step;
        predictNow();
      }
      return;
    }
    case 'eval':
      return actions.evaluated(msg.result);
    case 'sample':
      return actions.sampled(msg.step, msg.text);
    case 'error':
      if (msg.scope === 'predict') return actions.predictionFailed(msg.message);
      return actions.failed({ scope: msg.scope, message: msg.message });
    case 'loaded':
      actions.modelReady(msg.model);
      return predictNow();
    case 'prediction':
      return actions.predicted({ prompt: msg.prompt, step: msg.step, requestId: msg.requestId, result: msg.prediction });
    case 'attention':
    case 'generated':
    case 'saved':
    case 'memory':
      return; // the playground panels (next issue) subscribe to these
    default:
      return assertNever(msg);
  }
}

let client: TrainerClient | undefined;
let lastLivePredict = 0;
let lastPredictedStep = -1;
let debounce: ReturnType<typeof setTimeout> | undefined;
const LIVE_PREDICT_MS = 1000;
const TYPING_DEBOUNCE_MS = 120;

/** Ask the worker for the next words after the current prompt (newest request wins). */
export function predictNow(): void {
  const prompt = useFolio.getState().prompt;
  lastLivePredict = performance.now();
  getClient().send({ type: 'predict', requestId: getClient().id(), prompt, topTokens: 10, topWords: 10 });
}

/** The person typed: remember the prompt now, ask the model once typing pauses. */
export function setPrompt(prompt: string): void {
  actions.setPrompt(prompt);
  clearTimeout(debounce);
  debounce = setTimeout(predictNow, TYPING_DEBOUNCE_MS);
}

export function getClient(): TrainerClient {
  return (client ??= new TrainerClient(onMessage));
}

export interface StartOptions {
  backend: BackendName | 'auto';
  preset: ModelPresetName;
  corpus: BundledCorpus;
  tokenizer: TokenizerKind;
  steps: number;
}

export async function startSession(o: StartOptions): Promise<void> {
  const c = getClient();
  c.send({ type: 'init', backend: o.backend });
  const corpus = await loadBundledCorpus(o.corpus);
  const { vocabSize: _v, ...model } = { ...MODEL_PRESETS[o.preset], vocabSize: 0 };
  const config: SessionConfig = {
    model,
    train: { ...TRAIN_PRESETS[o.preset], decaySteps: o.steps },
    tokenizer: { kind: o.tokenizer, vocabSize: 1024 },
    corpus,
    targetSteps: o.steps,
    sampleEvery: 100,
    sampleTokens: 120,
  };
  c.send({ type: 'configure', config });
}

export const commands = {
  start: () => getClient().send({ type: 'start' }),
  pause: () => getClient().send({ type: 'pause' }),
  resume: () => getClient().send({ type: 'resume' }),
  step: () => getClient().send({ type: 'step', count: 1 }),
  reset: () => getClient().send({ type: 'reset' }),
};
