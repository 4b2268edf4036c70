/**
 * The page's settings as the worker's session config: which model, which training
 * defaults (the preset's, with the person's learning rate if they typed one), which
 * tokenizer, how long a run is. Pure: no store, no worker.
 */
import { MODEL_PRESETS, trainPresetFor, withLearningRate, type ModelConfig } from '../config';
import type { TokenizerConfig } from '../tokenizer';
import type { SessionConfig } from '../worker/protocol';
import type { Settings } from './store';

/** Write a sample every this many steps while training. */
export const SAMPLE_EVERY = 100;
const SAMPLE_TOKENS = 120;

/** The tokenizer the settings ask for (a k-mer one with its k and overlap). */
export function tokenizerFromSettings(s: Settings): TokenizerConfig {
  return { kind: s.tokenizer, vocabSize: s.vocabSize, ...(s.tokenizer === 'kmer' ? { k: s.kmerK, overlap: s.kmerOverlap } : {}) };
}

/** The model sizes the settings ask for. */
export function modelFromSettings(s: Settings): ModelConfig {
  return s.preset === 'custom' ? { ...s.custom } : { ...MODEL_PRESETS[s.preset] };
}

export function sessionConfig(s: Settings, corpus: { name: string; text: string }): SessionConfig {
  const base = trainPresetFor(s.preset);
  const train = s.lr > 0 ? withLearningRate(base, s.lr) : base;
  return {
    model: modelFromSettings(s),
    train: { ...train, decaySteps: s.steps },
    tokenizer: tokenizerFromSettings(s),
    corpus,
    targetSteps: s.steps,
    sampleEvery: SAMPLE_EVERY,
    sampleTokens: SAMPLE_TOKENS,
  };
}
