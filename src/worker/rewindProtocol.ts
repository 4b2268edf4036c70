/**
 * The messages of rewinding (issue 27) between the page and the worker: what the page asks
 * of one of the run's snapshots (the live model's weights at an earlier step) and what it
 * gets back, and the list of snapshots the worker keeps. protocol.ts carries the questions
 * as one `rewind` request and the list as one `snapshots` event; this file imports nothing
 * of it (no cycle).
 */
import type { SampleConfig } from '../config';
import type { EmbeddingMap } from '../predict/embeddings';
import type { LensResult } from '../predict/lens';
import type { Prediction } from '../predict/predictor';

export type RewindAsk =
  /** The ranked next words and tokens after `prompt`, as the model was at `step` (the same options as `predict`). */
  | { kind: 'predict'; step: number; prompt: string; topTokens?: number; topWords?: number; track?: string; temperature?: number }
  /** Its attention maps for `prompt`. */
  | { kind: 'attention'; step: number; prompt: string }
  /** Its token embeddings on a map. */
  | { kind: 'embeddings'; step: number; max?: number }
  /** Its logit lens for `prompt` (each layer's best guesses). */
  | { kind: 'lens'; step: number; prompt: string }
  /** A short text it writes after `prompt`. */
  | { kind: 'sample'; step: number; prompt: string; sample: SampleConfig }
  /** The film strip: the top next word after `prompt` (and the tracked word's probability) at every snapshot. */
  | { kind: 'strip'; prompt: string; track?: string };

/** One frame of the film strip: what the model said first after the prompt at `step`. */
export interface FilmFrame {
  step: number;
  /** The top next word (a DNA model: the next bases; a word completing the prompt's last one is marked `continues`). */
  top: string;
  p: number;
  continues?: boolean;
  /** P(the tracked word), when one was asked for. */
  tracked?: number;
}

export type RewindAnswer =
  | { kind: 'predict'; step: number; prompt: string; prediction: Prediction }
  | { kind: 'attention'; step: number; prompt: string; tokens: string[]; maps: number[][][][] }
  | { kind: 'embeddings'; step: number; map: EmbeddingMap }
  | { kind: 'lens'; step: number; prompt: string; lens: LensResult }
  | { kind: 'sample'; step: number; prompt: string; text: string }
  | { kind: 'strip'; prompt: string; track?: string; frames: FilmFrame[] };

/** The snapshots the worker keeps of the live model's run, and what they take. */
export interface SnapshotList {
  modelId: string;
  /** Ascending. */
  steps: number[];
  /** Bytes they take together, and one of them. */
  bytes: number;
  bytesEach: number;
  /** The most kept, and the budget they keep to (train/rewindPlan.ts). */
  limit: number;
  budgetBytes: number;
}
