/**
 * The prompt and what the live model says about it: the ranked next words, the tracked
 * words' probability curves (one per word and prompt), the attention maps, the text being
 * generated. Each answer names the model it came from (`modelId`); an answer of a model
 * that is no longer live is dropped, and the named selectors (selectors.ts) show nothing
 * that belongs to another model.
 */
import type { GeneratedToken, Prediction } from '../../predict/predictor';
import type { Notice } from '../../i18n';
import type { Answer, Events } from '../../worker/protocol';
import { DEFAULT_PROMPT } from '../prompts';
import type { Slice } from './makeStore';
import type { ModelSlice } from './modelSlice';
import type { SettingsSlice } from './settingsSlice';

export interface AttentionView {
  tokens: string[];
  /** [layer][head][query][key] */
  maps: number[][][][];
}

export type TrackPoint = { step: number; p: number };

/** The curves of P(word | prompt) over steps, for each (prompt, word) followed on this model. */
export interface Tracks {
  modelId?: string;
  curves: Record<string, TrackPoint[]>;
}

/** The key of one tracked curve: the word after this prompt. */
export const trackKey = (prompt: string, word: string) => `${word.trim()}\u0000${prompt}`;

export interface Generation {
  modelId?: string;
  requestId: number;
  prompt: string;
  greedy: boolean;
  tokens: GeneratedToken[];
  done: boolean;
  error?: Notice;
}

export interface PromptSlice {
  prompt: string;
  prediction?: { modelId: string; prompt: string; step: number; requestId: number; result: Prediction };
  predictionError?: Notice;
  tracks: Tracks;
  generation?: Generation;
  attention?: { modelId: string; prompt: string; view: AttentionView };
  setPrompt: (prompt: string) => void;
  predicted: (a: Answer<'predict'>) => void;
  predictionFailed: (n: Notice) => void;
  generationStarted: (requestId: number, prompt: string, greedy: boolean) => void;
  generated: (e: Events['generated']) => void;
  generationDone: (requestId: number, error?: Notice) => void;
  attended: (a: Answer<'attention'>, prompt: string) => void;
}

type State = PromptSlice & ModelSlice & SettingsSlice;
const liveId = (s: State) => s.model?.id;

export const promptSlice: Slice<PromptSlice, State> = (set) => ({
  prompt: DEFAULT_PROMPT,
  tracks: { curves: {} },
  setPrompt: (prompt) => set({ prompt }),
  predicted: (a) =>
    set((s) => {
      if (a.modelId !== liveId(s)) return {}; // the answer of a model no longer live
      if (s.prediction && s.prediction.modelId === a.modelId && s.prediction.requestId > a.requestId) return {};
      const t = a.prediction.tracked;
      const tracks = t ? addTrackPoint(s.tracks, a.modelId, trackKey(a.prompt, t.word), { step: a.step, p: t.p }) : s.tracks;
      return {
        prediction: { modelId: a.modelId, prompt: a.prompt, step: a.step, requestId: a.requestId, result: a.prediction },
        predictionError: undefined,
        tracks,
      };
    }),
  predictionFailed: (predictionError) => set({ predictionError }),
  generationStarted: (requestId, prompt, greedy) => set((s) => ({ generation: { modelId: liveId(s), requestId, prompt, greedy, tokens: [], done: false } })),
  generated: (e) =>
    set((s) => {
      const g = s.generation;
      return g && g.requestId === e.requestId ? { generation: { ...g, tokens: [...g.tokens, e.token] } } : {};
    }),
  generationDone: (requestId, error) =>
    set((s) => (s.generation?.requestId === requestId ? { generation: { ...s.generation, done: true, ...(error ? { error } : {}) } } : {})),
  attended: (a, prompt) => set((s) => (a.modelId === liveId(s) ? { attention: { modelId: a.modelId, prompt, view: { tokens: a.tokens, maps: a.maps } } } : {})),
});

/** One point per step: the newest answer for a step replaces an older one. */
function addTrackPoint(tracks: Tracks, modelId: string, key: string, point: TrackPoint): Tracks {
  const curves = tracks.modelId === modelId ? tracks.curves : {};
  const old = curves[key] ?? [];
  return { modelId, curves: { ...curves, [key]: [...old.filter((h) => h.step !== point.step), point].sort((a, b) => a.step - b.step) } };
}

/**
 * A new model: its answers are not the old model's. The tracked curves go on only where the
 * new model continues the old one's weights (a fine-tuning stage, the same save after a
 * failure): P(dog) before and after tuning is one story.
 */
export function promptOnModel(ev: Events['model'], s: State): Partial<PromptSlice> {
  const continues =
    ev.model.parentId !== undefined && ev.model.parentId === s.tracks.modelId && (ev.model.origin === 'tuned' || ev.model.origin === 'restored');
  return {
    prediction: undefined,
    predictionError: undefined,
    attention: undefined,
    generation: undefined,
    tracks: continues ? { ...s.tracks, modelId: ev.model.id } : { modelId: ev.model.id, curves: {} },
  };
}
