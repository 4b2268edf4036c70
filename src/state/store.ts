/**
 * The page's state in one zustand store, in slices:
 * - settings: what the person chose (language, sizes, corpus, tokenizer, steps,
 *   sampling, tracked word) — remembered across reloads (localStorage);
 * - session: the backend, the model summary, the run and its loss history;
 * - prompt: the prompt, the newest prediction, the tracked word's history;
 * - corpus: a rejected corpus's message, a pending "are you sure?" question;
 * - generation and attention: the answers to those questions.
 * Components select single values; the worker bridge (bridge.ts) writes here from
 * outside React. No training maths lives here — only what the page shows.
 */
import { addPaceSample, type PaceSample } from './pace';
import type { PresetTiming } from '../train/sizeAdvice';
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { MODEL_PRESETS, SAMPLE_PRESETS, type ModelConfig, type ModelPresetName, type SampleConfig } from '../config';
import type { BundledCorpus } from './corpora';
import type { GeneratedToken, Prediction } from '../predict/predictor';
import { DEFAULT_KMER, type TokenizerKind } from '../tokenizer';
import type { BackendReport, ModelSummary, RunState } from '../worker/protocol';
import { learningRateAt } from '../train/schedule';
import type { EvalResult, LossPoint } from '../train/trainer';
import type { Lang, Notice } from '../i18n';
import type { TuneMethod, TuneMetrics } from '../train/finetune/preference';
import type { Rating, Stage } from '../train/run';
import type { SftRecord } from '../train/finetune/tuneData';

/** A message for the banner: what to say (rendered in the person's language) and where it came from. */
export interface Banner {
  scope: string;
  notice: Notice;
  /** A button beside the message, e.g. "Restart from the last save" after a stall. */
  action?: { label: 'restartWorker'; run: () => void };
}

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
  /** The k-mer tokenizer's bases per token (1–6) and whether its tokens overlap. */
  kmerK: number;
  kmerOverlap: boolean;
}

export interface AttentionView {
  tokens: string[];
  /** [layer][head][query][key] */
  maps: number[][][][];
}

/** A question the page asks before it replaces a trained model. */
export interface PendingConfirm {
  steps: number;
  /** What replaces the model: a new one from random weights (the default), a fork of a saved run, the model Folio ships trained on `what`, or the one in the file `what`. */
  kind?: 'fork' | 'pretrained' | 'import' | 'scratch';
  /** The bundled corpus's title (kind 'pretrained') or the checkpoint's file name (kind 'import'). */
  what?: string;
  /** Runs when the person confirms. */
  proceed: () => void;
}

export interface FolioState {
  settings: Settings;
  backend?: BackendReport;
  model?: ModelSummary;
  /** True while the model is the bundled pre-trained one nobody has trained further here. */
  demo: boolean;
  /** Steps trained on this page since the model was built or loaded (what a swap would lose). */
  trainedHere: number;
  run: {
    state: RunState;
    /** What the run trains (a fine-tuning stage counts its own steps). */
    stage?: 'pretrain' | TuneMethod;
    step: number;
    targetSteps: number;
    tokensPerSec: number;
    lr: number;
    elapsedMs: number;
  };
  /**
   * The run the progress bar follows: the step it started from, and whether it reached
   * its target. Undefined until training starts on this model (a loaded trained model
   * has steps behind it but no run on this page yet).
   */
  thisRun?: { from: number; finished: boolean };
  /** (time, step) samples of the run going on, for its wall-clock pace (state/pace.ts); empty when none runs. */
  pace: PaceSample[];
  losses: LossPoint[];
  evals: EvalResult[];
  samples: { step: number; text: string }[];
  error?: Banner;
  /** Something is being built (a corpus read, a model configured). */
  busy: boolean;
  /** How far a long build (a BPE tokenizer) got, while it runs. */
  building?: { done: number; total: number };
  prompt: string;
  prediction?: { prompt: string; step: number; requestId: number; result: Prediction };
  predictionError?: Notice;
  /** P(tracked word) at each step a prediction was made. */
  trackHistory: { step: number; p: number }[];
  corpusError?: Notice;
  confirm?: PendingConfirm;
  generation?: { requestId: number; prompt: string; greedy: boolean; tokens: GeneratedToken[]; done: boolean; error?: Notice };
  attention: Partial<Record<'prompt' | 'bowShow' | 'bowTarget', AttentionView>>;
  /** A model saved in this browser by an earlier visit, offered on load. */
  resumeOffer?: SavedRecord;
  /** The newest autosave of this visit. */
  lastSave?: SavedRecord;
  tune: TuneState;
  /** The size suggested from this backend's measured speed (state/sizeCommands.ts). */
  sizeAdvice?: SizeAdvice;
}

export interface SizeAdvice {
  /** Which backend and vocabulary the timings were measured for. */
  key: string;
  timings: PresetTiming[];
  budgetMs: number;
}

/** Fine-tuning, as the page shows it. */
export interface TuneState {
  /** The stages the model went through, oldest first. */
  stages: Stage[];
  /** The metrics of the current (or last) fine-tuning stage. */
  metrics: TuneMetrics[];
  method?: TuneMethod;
  /** The person's ratings (kept with the model). */
  ratings: Rating[];
  /** Instruction examples for the next instruction-tuning stage. */
  examples: SftRecord[];
  /** The two samples on show, and the prompt they continue. */
  pair?: { prompt: string; a: string; b: string };
  /** The reference model's ranked words for the prompt (the "before"). */
  before?: { prompt: string; result: Prediction | null };
}

export interface SavedRecord {
  step: number;
  corpusName: string;
  savedAt: number;
}

export const DEFAULT_PROMPT = 'The quick brown fox jumps over the lazy';

/**
 * The seed article's two "bow" sentences, cut just after "bow" (attention is causal: what
 * "bow" attends to is all before it). The one source for the attention panel's pair and
 * the example prompts.
 */
export const BOW_SENTENCES = {
  bowShow: 'At the end of the show, the singer took a bow',
  bowTarget: 'Jack wanted to go to the store to buy a new bow',
} as const;

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
  kmerK: DEFAULT_KMER.k,
  kmerOverlap: DEFAULT_KMER.overlap,
};

export const initialRun: FolioState['run'] = { state: 'idle', step: 0, targetSteps: 0, tokensPerSec: 0, lr: 0, elapsedMs: 0 };

export const useFolio = create<FolioState>()(
  persist(
    (): FolioState => ({
      settings: defaultSettings,
      demo: false,
      trainedHere: 0,
      run: initialRun,
      pace: [],
      losses: [],
      evals: [],
      samples: [],
      busy: true,
      prompt: DEFAULT_PROMPT,
      trackHistory: [],
      attention: {},
      tune: { stages: [], metrics: [], ratings: [], examples: [] },
    }),
    {
      name: 'folio.settings',
      version: 1,
      partialize: (s) => ({ settings: s.settings }),
      // A stored object from an older page may miss keys: fill them from the defaults.
      merge: (stored, current) => ({
        ...current,
        settings: { ...defaultSettings, ...((stored as Partial<FolioState> | undefined)?.settings ?? {}) },
      }),
    },
  ),
);

/**
 * A run starts when training starts on a model with no run yet, or after the last run
 * reached its target ("Continue training" on a finished run); a pause and a resume stay
 * one run. Counted from the step before its first progress, so no step is missed.
 */
function nextRun(s: FolioState, p: FolioState['run']): FolioState['thisRun'] {
  const starts = p.state === 'running' && s.run.state !== 'running' && (!s.thisRun || s.thisRun.finished);
  if (starts) return { from: s.run.step, finished: false };
  if (s.thisRun && p.state === 'done') return { ...s.thisRun, finished: true };
  return s.thisRun;
}

/**
 * The learning rate the model's next step uses: its schedule (warm-up, cosine decay,
 * floor) at the current step — what the worker's trainer reports as `lr` in progress.
 */
export function learningRateNow(s: FolioState): number | undefined {
  return s.model ? learningRateAt(s.run.step, s.model.train) : undefined;
}

/** setState without persist's return value, so actions are plain void functions. */
function set(patch: Partial<FolioState> | ((s: FolioState) => Partial<FolioState>)): void {
  useFolio.setState(patch);
}

/** Store actions, callable from outside React (the bridge, App). */
export const actions = {
  setSettings: (patch: Partial<Settings>) => set((s) => ({ settings: { ...s.settings, ...patch } })),
  setBackend: (backend: BackendReport) => set({ backend }),
  setSizeAdvice: (sizeAdvice: SizeAdvice | undefined) => set({ sizeAdvice }),
  modelReady: (model: ModelSummary, demo = false) =>
    set({
      building: undefined,
      model,
      demo,
      trainedHere: 0,
      busy: false,
      run: { ...initialRun, step: model.step, targetSteps: model.targetSteps },
      thisRun: undefined,
      pace: [],
      losses: [],
      evals: [],
      samples: [],
      trackHistory: [],
      error: undefined,
      corpusError: undefined,
      generation: undefined,
    }),
  progress: (p: FolioState['run'], newLosses: LossPoint[]) =>
    set((s) => ({
      run: p,
      thisRun: nextRun(s, p),
      // Stopped, or the counter went back (a new run, a roll-back): the pace starts again.
      pace: p.state !== 'running' || p.step < s.run.step ? [] : p.step === s.run.step && s.pace.length ? s.pace : addPaceSample(s.pace, { at: performance.now(), step: p.step }),
      // The worker went back to earlier weights (after a NaN): forget the steps after them.
      // (A fine-tuning stage counts its own steps: pre-training's curves stay.)
      losses: ((p.stage ?? 'pretrain') === 'pretrain' && p.step < (s.losses.at(-1)?.step ?? 0) ? s.losses.filter((l) => l.step <= p.step) : s.losses).concat(newLosses),
      evals: (p.stage ?? 'pretrain') === 'pretrain' && p.step < (s.evals.at(-1)?.step ?? 0) ? s.evals.filter((e) => e.step <= p.step) : s.evals,
      trainedHere: s.trainedHere + newLosses.length,
      demo: s.demo && newLosses.length === 0,
    })),
  /** A loaded session's history (a resumed autosave shows the same curves as before). */
  restoreHistory: (h: { losses: LossPoint[]; evals: EvalResult[]; samples: { step: number; text: string }[] }) =>
    set({ losses: h.losses, evals: h.evals, samples: h.samples }),
  offerResume: (resumeOffer: SavedRecord | undefined) => set({ resumeOffer }),
  saved: (lastSave: SavedRecord) => set({ lastSave }),
  evaluated: (e: EvalResult) => set((s) => ({ evals: [...s.evals, e] })),
  sampled: (step: number, text: string) => set((s) => ({ samples: [...s.samples.slice(-49), { step, text }] })),
  failed: (error: Banner) => set({ error, busy: false, building: undefined }),
  setBusy: (busy: boolean) => set(busy ? { busy } : { busy, building: undefined }),
  building: (building: { done: number; total: number }) => set({ building }),
  corpusRejected: (notice: Notice) => set({ corpusError: notice, busy: false, building: undefined }),
  setPrompt: (prompt: string) => set({ prompt }),
  predicted: (p: NonNullable<FolioState['prediction']>) =>
    set((s) => {
      if (s.prediction && s.prediction.requestId > p.requestId) return {};
      const t = p.result.tracked;
      // One point per step: the newest answer for a step replaces an older one.
      const trackHistory =
        t && p.prompt === s.prompt && t.word === s.settings.track.trim()
          ? [...s.trackHistory.filter((h) => h.step !== p.step), { step: p.step, p: t.p }].sort((a, b) => a.step - b.step)
          : s.trackHistory;
      return { prediction: p, predictionError: undefined, trackHistory };
    }),
  predictionFailed: (notice: Notice) => set({ predictionError: notice }),
  /** The prompt or the tracked word changed: the old curve no longer means anything. */
  clearTrack: () => set({ trackHistory: [] }),
  clearError: () => set({ error: undefined }),
  /** Something of `scope` worked: its earlier message (a refused file) no longer holds. */
  clearErrorOf: (scope: string) => set((s) => (s.error?.scope === scope ? { error: undefined } : {})),
  /** Change the fine-tuning slice. */
  /** Fine-tuning steps count as training done here: replacing the model asks first. */
  tuned: (steps: number) => set((s) => ({ trainedHere: s.trainedHere + steps, demo: s.demo && steps === 0 })),
  tune: (patch: Partial<TuneState> | ((t: TuneState) => Partial<TuneState>)) => set((s) => ({ tune: { ...s.tune, ...(typeof patch === 'function' ? patch(s.tune) : patch) } })),
  ask: (confirm: PendingConfirm) => set({ confirm }),
  answered: () => set({ confirm: undefined }),
  generationStarted: (requestId: number, prompt: string, greedy: boolean) =>
    set({ generation: { requestId, prompt, greedy, tokens: [], done: false } }),
  generated: (requestId: number, token: GeneratedToken | null, done: boolean) =>
    set((s) => {
      const g = s.generation;
      if (!g || g.requestId !== requestId) return {};
      return { generation: { ...g, tokens: token ? [...g.tokens, token] : g.tokens, done } };
    }),
  generationFailed: (requestId: number, error: Notice) =>
    set((s) => (s.generation?.requestId === requestId ? { generation: { ...s.generation, done: true, error } } : {})),
  attended: (key: keyof FolioState['attention'], view: AttentionView) => set((s) => ({ attention: { ...s.attention, [key]: view } })),
};
