/**
 * What every part of the worker's session works on: the live model with its tokenizer,
 * data and trainer, the errors the session turns into messages, and the summary the page
 * shows. No tfjs calls here beyond what the types carry.
 */
import type { Dataset } from '../data/dataset';
import { paramCount, type GPT } from '../model/gpt';
import { KmerTokenizer, type Tokenizer } from '../tokenizer';
import type { Trainer } from '../train/trainer';
import type { ModelSummary, SessionConfig } from './protocol';
import { FolioError, notice } from '../i18n';

export interface Live {
  config: SessionConfig;
  tokenizer: Tokenizer;
  data: Dataset;
  model: GPT;
  trainer: Trainer;
}

/** How much of the corpus the page shows as token chips. */
const SNIPPET_CHARS = 400;
const SNIPPET_TOKENS = 80;

export function summaryOf({ config, tokenizer, data, model, trainer }: Live): ModelSummary {
  const snippet = Array.from(tokenizer.encode(config.corpus.text.slice(0, SNIPPET_CHARS)), (id) => tokenizer.tokenText(id));
  return {
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
    step: trainer.step,
    targetSteps: config.targetSteps,
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
