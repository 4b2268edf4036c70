/**
 * Making models: a new live model from a session config (corpus checked, tokenizer built,
 * data split, sizes checked against what a tab can hold), and fresh random weights for
 * the live model's setup. The session decides when; this module knows how. Nothing here
 * touches the live model: a failure leaves it as it was.
 */
import { validateModelConfig, validateModelMemory, withLearningRate, type TrainConfig } from '../config';
import { decodeCorpusBytes, validateCorpusText } from '../data/corpus';
import { splitTokens, type Dataset } from '../data/dataset';
import { createGPT } from '../model/gpt';
import { buildTokenizer, type Tokenizer, type TokenizerConfig } from '../tokenizer';
import { Trainer } from '../train/trainer';
import { notice } from '../i18n';
import { ConfigureError, identity, type Live } from './live';
import type { FromWorker, SessionConfig } from './protocol';

/** Everything a new model needs but its weights: checked, built and split (throws a notice on bad input). */
export interface Prepared {
  config: SessionConfig;
  tokenizer: Tokenizer;
  data: Dataset;
}

export function prepare(config: SessionConfig, post: (msg: FromWorker) => void): Prepared {
  const errs = validateModelConfig(config.model);
  if (errs.length) throw new ConfigureError(errs[0]!); // the page checks sizes as they are typed, all of them
  const text = validateCorpusText(config.corpus.text);
  let said = -Infinity;
  const tokenizer = buildTokenizer(text, config.tokenizer, (done, total) => {
    // Posted from inside the build: the page hears the worker is alive (at most 4 a second).
    if (performance.now() - said < 250) return;
    said = performance.now();
    post({ type: 'busy', what: 'tokenizer', done, total });
  });
  // The page refuses such sizes as they are typed; a shared link or the CLI may still ask.
  const tooBig = validateModelMemory({ ...config.model, vocabSize: tokenizer.vocabSize }, config.train.batchSize);
  if (tooBig.length) throw new ConfigureError(tooBig[0]!);
  return { config, tokenizer, data: splitTokens(tokenizer.encode(text), config.model.blockSize) };
}

/** A new model (random weights from the config's seed) on prepared parts. */
export function built({ config, tokenizer, data }: Prepared): Live {
  const model = createGPT({ ...config.model, vocabSize: tokenizer.vocabSize }, config.train.seed);
  return { ...identity('built'), config, tokenizer, data, model, trainer: new Trainer(model, data, config.train) };
}

/** The training settings of fresh weights: the schedule from step 0, another peak rate, a cosine over `decaySteps`. */
export function freshTrain(live: Live, learningRate?: number, decaySteps?: number): TrainConfig {
  if (learningRate !== undefined && !(learningRate > 0 && Number.isFinite(learningRate))) {
    throw new ConfigureError(notice('lrInvalid', { got: String(learningRate) }));
  }
  const { scheduleFrom: _from, ...own } = live.config.train; // fresh weights: the schedule starts at step 0
  const peaked = learningRate === undefined ? own : withLearningRate(own, learningRate);
  return decaySteps !== undefined && Number.isInteger(decaySteps) && decaySteps > 0
    ? { ...peaked, decaySteps: Math.max(decaySteps, peaked.warmupSteps + 1) }
    : peaked;
}

/** Fresh random weights for the live model's setup (a new id: it is another model). */
export function freshWeights(live: Live, train: TrainConfig): Live {
  const model = createGPT(live.model.config, train.seed);
  return { ...live, ...identity('reset'), config: { ...live.config, train }, model, trainer: new Trainer(model, live.data, train) };
}

/** Would these bytes make a corpus (decoded, checked, tokenized, split)? Its length in characters, or a notice thrown. Nothing changes. */
export function checkCorpus(bytes: ArrayBuffer, tokenizer: TokenizerConfig, blockSize: number): number {
  const text = validateCorpusText(decodeCorpusBytes(new Uint8Array(bytes)));
  splitTokens(buildTokenizer(text, tokenizer).encode(text), blockSize);
  return text.length;
}
