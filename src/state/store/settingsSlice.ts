/**
 * What the person chose: language, sizes, corpus, tokenizer, steps, sampling, tracked word,
 * learning rate. The only slice remembered across reloads (localStorage, see folio.ts).
 */
import { MODEL_PRESETS, SAMPLE_PRESETS, type ModelConfig, type ModelPresetName, type SampleConfig } from '../../config';
import type { Lang } from '../../i18n';
import { DEFAULT_KMER, type TokenizerKind } from '../../tokenizer';
import type { BundledCorpus } from '../corpora';
import type { Slice } from './makeStore';

export interface Settings {
  lang: Lang;
  preset: ModelPresetName | 'custom';
  /** The sizes used when preset is 'custom'. */
  custom: ModelConfig;
  corpus: BundledCorpus;
  tokenizer: TokenizerKind;
  /** Target vocabulary for word / BPE tokenizers. */
  vocabSize: number;
  steps: number;
  sample: SampleConfig;
  /** The word whose probability is followed over training ('' = none). */
  track: string;
  /** Peak learning rate for "Train from scratch" (0 = the size's preset). */
  lr: number;
  /** The temperature the ranked bars are shown at (1: the model's own probabilities). */
  barsTemperature: number;
  /** The k-mer tokenizer's bases per token (1–6) and whether its tokens overlap. */
  kmerK: number;
  kmerOverlap: boolean;
}

export const defaultSettings: Settings = {
  lang: 'en',
  preset: 'nano',
  custom: { ...MODEL_PRESETS.nano },
  corpus: 'fox',
  tokenizer: 'char',
  vocabSize: 512,
  steps: 1000,
  sample: { ...SAMPLE_PRESETS.focused },
  track: 'dog',
  lr: 0,
  barsTemperature: 1,
  kmerK: DEFAULT_KMER.k,
  kmerOverlap: DEFAULT_KMER.overlap,
};

export interface SettingsSlice {
  settings: Settings;
  setSettings: (patch: Partial<Settings>) => void;
}

export const settingsSlice: Slice<SettingsSlice> = (set) => ({
  settings: defaultSettings,
  setSettings: (patch) => set((s) => ({ settings: { ...s.settings, ...patch } })),
});
