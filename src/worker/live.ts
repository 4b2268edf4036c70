/**
 * What every part of the worker's session works on: the live model with its tokenizer,
 * data and trainer, the errors the session turns into messages, and the summary the page
 * shows. No tfjs calls here beyond what the types carry.
 */
import type { Dataset } from '../data/dataset';
import { paramCount, type GPT } from '../model/gpt';
import { KmerTokenizer, type Tokenizer } from '../tokenizer';
import type { Trainer } from '../train/trainer';
import { charsPerToken } from '../train/lossUnits';
import type { SessionConfig } from './protocol';
import type { ModelOrigin, ModelSummary } from './summary';
import type { Stage } from '../train/run';
import { FolioError, notice } from '../i18n';

export interface Live {
  /** This model's identity (see summary.ts): new whenever the session makes a model live. */
  id: string;
  parentId?: string;
  origin: ModelOrigin;
  config: SessionConfig;
  tokenizer: Tokenizer;
  data: Dataset;
  model: GPT;
  trainer: Trainer;
}

let made = 0;
/**
 * A new model id: unique across this worker (a counter) and across workers and visits (a
 * random part: not the engine's seeded generator, nothing trained depends on it), since a
 * saved id comes back as a loaded model's parent.
 */
export function newModelId(): string {
  return `m${(made++).toString(36)}-${globalThis.crypto.randomUUID().slice(0, 8)}`;
}

/** The identity of a model made live now: a new id, where it came from. */
export function identity(origin: ModelOrigin, parentId?: string): Pick<Live, 'id' | 'parentId' | 'origin'> {
  return { id: newModelId(), origin, ...(parentId ? { parentId } : {}) };
}

/** Every step the weights went through: the stages' steps added up. */
export function totalSteps(stages: readonly Stage[]): number {
  return stages.reduce((n, s) => n + s.steps, 0);
}

/** How much of the corpus the page shows as token chips. */
const SNIPPET_CHARS = 400;
const SNIPPET_TOKENS = 80;

/** Measured once per split (a summary is sent often; the splits never change under a model). */
const measured = new WeakMap<Int32Array, number>();
function charsPerSplitToken(tokenizer: Tokenizer, split: Int32Array): number {
  let c = measured.get(split);
  if (c === undefined) measured.set(split, (c = charsPerToken(tokenizer, split)));
  return c;
}

/** What the page is told about the live model; `stages` are the fine-tuning desk's (pre-training included). */
export function summaryOf({ id, parentId, origin, config, tokenizer, data, model, trainer }: Live, stages: readonly Stage[]): ModelSummary {
  const snippet = Array.from(tokenizer.encode(config.corpus.text.slice(0, SNIPPET_CHARS)), (id) => tokenizer.tokenText(id));
  return {
    id,
    ...(parentId ? { parentId } : {}),
    origin,
    config: model.config,
    train: trainer.cfg,
    paramCount: paramCount(model.config),
    vocabSize: tokenizer.vocabSize,
    tokenizer: tokenizer.kind,
    corpusName: config.corpus.name,
    corpusChars: config.corpus.text.length,
    snippet: snippet.slice(0, SNIPPET_TOKENS),
    trainTokens: data.train.length,
    valTokens: data.val.length,
    charsPerToken: { train: charsPerSplitToken(tokenizer, data.train), val: charsPerSplitToken(tokenizer, data.val) },
    step: trainer.step,
    targetSteps: config.targetSteps,
    totalSteps: totalSteps(stages),
    stages: stages.map((s) => ({ ...s })),
    ...(tokenizer instanceof KmerTokenizer ? { kmer: { k: tokenizer.k, overlap: tokenizer.overlap } } : {}),
  };
}

/** A request the session refuses as set up (no model, bad settings): nothing changed. */
export class ConfigureError extends FolioError {
  override name = 'ConfigureError';
}
/** A training command that cannot run now (the target reached, a diverged loss). */
export class TrainError extends FolioError {
  override name = 'TrainError';
}

/** "No model yet": every request that needs one says this until a model is built. */
export const noModel = () => new ConfigureError(notice('noModel'));
