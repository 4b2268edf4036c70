/**
 * "Inside the model" as the page holds it: which view is open (embeddings, logit lens, one
 * step of backpropagation), whether the panel is on screen, the backpropagation example's
 * word and learning rate, and the worker's latest answers — each answer with the id of the
 * model it describes, so a view never shows another model (the selectors check it, and a
 * new model resets the word to the tracked word and drops the inspected steps).
 * The commands that ask for the views are commands/inside.ts.
 */
import type { Notice } from '../i18n';
import type { InsideAnswer } from '../worker/protocol';
import { makeStore } from './store/makeStore';

export type InsideTab = 'embeddings' | 'lens' | 'backprop';
export const INSIDE_TABS: readonly InsideTab[] = ['embeddings', 'lens', 'backprop'];

export type EmbeddingsAnswer = Extract<InsideAnswer, { kind: 'embeddings' }>;
export type LensAnswer = Extract<InsideAnswer, { kind: 'lens' }>;
export type BackpropAnswer = Extract<InsideAnswer, { kind: 'backprop' }>;

export interface InsideState {
  tab: InsideTab;
  /** The model the answers below describe. */
  modelId?: string;
  embeddings?: EmbeddingsAnswer;
  lens?: LensAnswer;
  /** The steps inspected on the current copy of the model, oldest first. */
  steps: BackpropAnswer[];
  /** The true next word of the backpropagation example. */
  word: string;
  /** Learning rate of the inspected step (0 = the training run's current one). */
  lr: number;
  /** A backpropagation step is being computed. */
  busy: boolean;
  /** The panel is on screen (scrolled away, it asks the worker for nothing); the panel's observer says when. */
  visible: boolean;
  error?: Notice;
}

export const useInside = makeStore<InsideState>(() => ({ tab: 'embeddings', steps: [], word: 'dog', lr: 0, busy: false, visible: false }));

/** A new model: nothing seen of the old one stays, and the example's word is the word the page follows. */
export function insideOnModel(modelId: string, trackedWord: string): void {
  useInside.update((s) => ({ modelId, embeddings: undefined, lens: undefined, steps: [], busy: false, error: undefined, word: trackedWord.trim() || s.word }));
}

/** The answers, when they describe the live model. */
export function insideOf(s: InsideState, liveId: string | undefined): Pick<InsideState, 'embeddings' | 'lens' | 'steps'> {
  return s.modelId === liveId ? s : { steps: [] };
}
