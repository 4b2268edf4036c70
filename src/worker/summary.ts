/**
 * What the page learns about the live model: its identity (an id new on every build, load,
 * resume, fork, reset and fine-tuning stage, and the id it came from), its true step count
 * over all its stages, its sizes, tokenizer and corpus. Also the questions "inside the
 * model" asks and what it answers. Plain data: it crosses postMessage.
 */
import type { SizedModelConfig, TrainConfig } from '../config';
import type { TokenizerConfig } from '../tokenizer';
import type { Stage } from '../train/run';
import type { CharsPerToken } from '../train/lossUnits';
import type { EmbeddingMap } from '../predict/embeddings';
import type { LensResult } from '../predict/lens';
import type { InspectedStep } from '../train/inspectStep';

/**
 * How a model came to be live: `built` (fresh random weights for a corpus and size),
 * `reset` (Train from scratch: fresh weights, same setup), `bundled` (the model Folio ships
 * trained), `loaded` (a person's files), `resumed` (an earlier visit's save), `forked` (a run's
 * checkpoint with one setting changed), `tuned` (a fine-tuning stage started on its parent),
 * `restored` (the last save, after the backend or worker failed).
 */
export type ModelOrigin = 'built' | 'reset' | 'bundled' | 'loaded' | 'resumed' | 'forked' | 'tuned' | 'restored';

export interface ModelSummary {
  /** New for every model the worker makes live; everything the page shows about a model is keyed by it. */
  id: string;
  /** The model this one continues (a checkpoint's saved model, a tuned model's parent), when known. */
  parentId?: string;
  origin: ModelOrigin;
  config: SizedModelConfig;
  train: TrainConfig;
  paramCount: number;
  vocabSize: number;
  tokenizer: TokenizerConfig['kind'];
  corpusName: string;
  /** Characters in the corpus. */
  corpusChars: number;
  /** The corpus's first tokens, as text, to show how the tokenizer cuts it. */
  snippet: string[];
  trainTokens: number;
  valTokens: number;
  /**
   * Characters (bases, for k-mers) each token of the train and of the val split adds to its
   * text, on average (train/lossUnits.ts): a loss in nats per token ÷ (its split's × ln 2)
   * is bits per character.
   */
  charsPerToken: CharsPerToken;
  /** Pre-training steps done (non-zero after loading a checkpoint). */
  step: number;
  targetSteps: number;
  /** Every step the weights went through: pre-training and each fine-tuning stage. */
  totalSteps: number;
  /** The stages, oldest first. */
  stages: Stage[];
  /** dna: a k-mer tokenizer's bases per token and whether its tokens overlap. */
  kmer?: { k: number; overlap: boolean };
}

/** What the page is told about the pretrained guest beside the live model (guest.ts). */
export interface GuestSummary {
  id: string;
  /** The Hub repo (or folder name) it came from. */
  repo: string;
  config: SizedModelConfig;
  paramCount: number;
  /** The weights' number format in the file: F32, F16 or BF16 (Folio computes in float32). */
  dtype: string;
  vocabSize: number;
  /** Its LoRA adapters (model/lora.ts), when it has some: their settings and how many numbers they train. */
  lora?: { r: number; alpha: number; targets: string[]; trainable: number };
}

// Inside the model (issue 16): what the page asks and what the worker answers.
export type InsideAsk =
  /** The token embeddings on a 2-D map (at most `max` tokens, the most frequent). */
  | { kind: 'embeddings'; max?: number }
  /** Each layer's best guesses for the token after `prompt`. */
  | { kind: 'lens'; prompt: string }
  /** One step of backpropagation on a copy of the model: `prompt` → `word`. `fresh`: copy the model again first. */
  | { kind: 'backprop'; prompt: string; word: string; lr?: number; fresh?: boolean }
  /** Drop the copy (the view closed); answered with nothing. */
  | { kind: 'release' };
export type InsideAnswer =
  | { kind: 'embeddings'; step: number; map: EmbeddingMap }
  | { kind: 'lens'; step: number; prompt: string; lens: LensResult }
  | { kind: 'backprop'; prompt: string; word: string; tokens: string[]; result: InspectedStep };
