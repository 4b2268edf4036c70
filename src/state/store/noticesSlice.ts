/**
 * What the page tells the person apart from the panels' own views: the banner (a message
 * and where it came from, with a button where one helps), a refused corpus's message under
 * the corpus controls, and the question asked before a trained model is replaced.
 */
import type { Notice } from '../../i18n';
import type { Slice } from './makeStore';
import type { ModelSlice } from './modelSlice';

/** A message for the banner: what to say (rendered in the person's language) and where it came from. */
export interface Banner {
  scope: string;
  notice: Notice;
  /** A button beside the message, e.g. "Restart from the last save" after a stall. */
  action?: { label: 'restartWorker'; run: () => void };
}

/** A question the page asks before it replaces a trained model (the dialog reads the model's true step count live). */
export interface PendingConfirm {
  /** What replaces the model: a new one from random weights (the default), a fork of a saved run, the model Folio ships trained on `what`, or the one in the file `what`. */
  kind?: 'fork' | 'pretrained' | 'import' | 'scratch';
  /** The bundled corpus's title (kind 'pretrained') or the checkpoint's file name (kind 'import'). */
  what?: string;
  /** The model it would replace: the question goes when that model does. */
  modelId?: string;
  /** Runs when the person confirms. */
  proceed: () => void;
}

export interface NoticesSlice {
  error?: Banner;
  corpusError?: Notice;
  confirm?: PendingConfirm;
  failed: (error: Banner) => void;
  clearError: () => void;
  /** Something of `scope` worked: its earlier message (a refused file) no longer holds. */
  clearErrorOf: (scope: string) => void;
  corpusRejected: (n: Notice) => void;
  ask: (confirm: PendingConfirm) => void;
  answered: () => void;
}

export const noticesSlice: Slice<NoticesSlice, NoticesSlice & Pick<ModelSlice, 'busy' | 'building'>> = (set) => ({
  failed: (error) => set({ error, busy: false, building: undefined }),
  clearError: () => set({ error: undefined }),
  clearErrorOf: (scope) => set((s) => (s.error?.scope === scope ? { error: undefined } : {})),
  corpusRejected: (corpusError) => set({ corpusError, busy: false, building: undefined }),
  ask: (confirm) => set({ confirm }),
  answered: () => set({ confirm: undefined }),
});

/** A new model: the old one's messages and questions no longer hold. */
export function noticesOnModel(s: NoticesSlice, modelId: string): Partial<NoticesSlice> {
  return { error: undefined, corpusError: undefined, ...(s.confirm && s.confirm.modelId !== modelId ? { confirm: undefined } : {}) };
}
