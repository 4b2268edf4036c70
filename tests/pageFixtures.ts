/** Worker events as the page's store receives them, for tests of the store and the bridge without a worker. */
import type { Event, ModelSummary } from '../src/worker/protocol';
import { initialRun } from '../src/state/store';

let n = 0;
/** A model summary (only what the page reads), with a fresh id unless one is given. */
export function summary(over: Partial<ModelSummary> = {}): ModelSummary {
  const step = over.step ?? 0;
  return {
    id: `test-${n++}`,
    origin: 'built',
    config: { nLayer: 1, nHead: 1, nEmbd: 8, blockSize: 8, dropout: 0, vocabSize: 10 },
    train: { learningRate: 0.01, decaySteps: 100, warmupSteps: 10 } as ModelSummary['train'],
    paramCount: 1000,
    vocabSize: 10,
    tokenizer: 'char',
    corpusName: 'fox',
    corpusChars: 100,
    snippet: [],
    trainTokens: 90,
    valTokens: 10,
    charsPerToken: { train: 1, val: 1 },
    step,
    targetSteps: 100,
    totalSteps: step,
    stages: [{ kind: 'pretrain', steps: step }],
    ...over,
  };
}

/** The `model` event of a new live model. */
export function modelEvent(over: Partial<ModelSummary> = {}): Event<'model'> {
  return { type: 'model', model: summary(over), history: { losses: [], evals: [], samples: [], elapsedMs: 0 }, ratings: [] };
}

/** A progress event of model `modelId` at `step` (totalSteps = step unless given). */
export function progressEvent(
  modelId: string,
  state: 'running' | 'paused' | 'done' | 'idle',
  step: number,
  over: Partial<Event<'progress'>> = {},
): Event<'progress'> {
  return {
    type: 'progress',
    modelId,
    ...initialRun,
    stage: 'pretrain',
    state,
    step,
    targetSteps: 100,
    totalSteps: step,
    schedule: { learningRate: 0.01, minLearningRate: 0.001, warmupSteps: 10, decaySteps: 100 },
    losses: [],
    ...over,
  };
}
