/**
 * The model the page shows and the machine it runs on: the backend, the live model's
 * summary (its id, true step count, sizes, corpus), whether it is the bundled demo nobody
 * trained further, what is being built, the size advice, and the saves in this browser.
 * Every other slice keys what it derives from the model by `model.id`.
 */
import type { PresetTiming } from '../../train/sizeAdvice';
import type { BackendReport, Events, ModelSummary } from '../../worker/protocol';
import type { Slice } from './makeStore';

export interface SizeAdvice {
  /** Which backend and vocabulary the timings were measured for. */
  key: string;
  timings: PresetTiming[];
  budgetMs: number;
}

/** An autosave: of which model, at which step (pre-training's and all stages'), of which corpus. */
export interface SavedRecord {
  modelId?: string;
  step: number;
  totalSteps?: number;
  corpusName: string;
  savedAt: number;
}

export interface ModelSlice {
  backend?: BackendReport;
  model?: ModelSummary;
  /** True while the model is the bundled trained one nobody has trained further here. */
  demo: boolean;
  /** The model's step count when it became live (what a loaded file already holds). */
  liveAtSteps: number;
  /** Something is being built (a corpus read, a model configured). */
  busy: boolean;
  /** How far a long build (a BPE tokenizer) got, while it runs. */
  building?: { done: number; total: number };
  /** The size suggested from this backend's measured speed (commands/model.ts). */
  sizeAdvice?: SizeAdvice;
  /** A model saved in this browser by an earlier visit, offered on load. */
  resumeOffer?: SavedRecord;
  /** The newest autosave of this visit (of `modelId`: the page shows it only for that model). */
  lastSave?: SavedRecord;
  setBackend: (backend: BackendReport) => void;
  setBusy: (busy: boolean) => void;
  setBuilding: (building: { done: number; total: number }) => void;
  setSizeAdvice: (advice: SizeAdvice | undefined) => void;
  offerResume: (offer: SavedRecord | undefined) => void;
  saved: (record: SavedRecord) => void;
}

export const modelSlice: Slice<ModelSlice> = (set) => ({
  demo: false,
  liveAtSteps: 0,
  busy: true,
  setBackend: (backend) => set({ backend }),
  setBusy: (busy) => set(busy ? { busy } : { busy, building: undefined }),
  setBuilding: (building) => set({ building }),
  setSizeAdvice: (sizeAdvice) => set({ sizeAdvice }),
  offerResume: (resumeOffer) => set({ resumeOffer }),
  saved: (lastSave) => set({ lastSave }),
});

/** A new model is live: its summary; the demo flag says whether it is the bundled one. */
export function modelOnModel(ev: Events['model']): Partial<ModelSlice> {
  return { model: ev.model, demo: ev.model.origin === 'bundled', liveAtSteps: ev.model.totalSteps, busy: false, building: undefined };
}

/**
 * Would replacing the live model lose a person's work? Not the bundled demo, not an untrained
 * model, and not a model loaded from files that has not trained since (the files still hold
 * it); a resumed save is work (the next autosave overwrites it), and so is anything trained here.
 */
export function askBeforeReplacing(s: Pick<ModelSlice, 'model' | 'demo' | 'liveAtSteps'>): boolean {
  const m = s.model;
  if (!m || s.demo || m.totalSteps === 0) return false;
  return !(m.origin === 'loaded' && m.totalSteps === s.liveAtSteps);
}

/** Every step the live model has trained, as the page knows it now (progress keeps it current). */
export function totalStepsOf(s: Pick<ModelSlice, 'model'>): number {
  return s.model?.totalSteps ?? 0;
}
