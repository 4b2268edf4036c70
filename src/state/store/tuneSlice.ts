/**
 * Fine-tuning as the page shows it: the stages the live model went through, the metrics of
 * its current (or last) stage, the person's ratings and instruction examples (theirs, kept
 * across models), the pair of samples on show and the reference's ranked words — the last
 * two answered by a model, so keyed by its id.
 */
import type { Prediction } from '../../predict/predictor';
import type { TuneMethod, TuneMetrics } from '../../train/finetune/preference';
import type { Rating, Stage } from '../../train/run';
import type { SftRecord } from '../../train/finetune/tuneData';
import type { Events } from '../../worker/protocol';
import type { Slice } from './makeStore';
import type { ModelSlice } from './modelSlice';

export interface TuneState {
  /** The stages the model went through, oldest first. */
  stages: Stage[];
  /** The metrics of the current (or last) fine-tuning stage, of model `modelId`. */
  metrics: TuneMetrics[];
  metricsOf?: string;
  method?: TuneMethod;
  /** The person's ratings (kept with the model). */
  ratings: Rating[];
  /** Instruction examples for the next instruction-tuning stage. */
  examples: SftRecord[];
  /** The two samples on show, the prompt they continue, and the model that wrote them. */
  pair?: { modelId: string; prompt: string; a: string; b: string };
  /** The reference model's ranked words for the prompt (the "before"), asked of model `modelId`. */
  before?: { modelId: string; prompt: string; result: Prediction | null };
}

export interface TuneSlice {
  tune: TuneState;
  setTune: (patch: Partial<TuneState> | ((t: TuneState) => Partial<TuneState>)) => void;
  tuneProgress: (e: Events['tuneProgress']) => void;
}

type State = TuneSlice & ModelSlice;

export const tuneSlice: Slice<TuneSlice, State> = (set) => ({
  tune: { stages: [], metrics: [], ratings: [], examples: [] },
  setTune: (patch) => set((s) => ({ tune: { ...s.tune, ...(typeof patch === 'function' ? patch(s.tune) : patch) } })),
  tuneProgress: (e) =>
    set((s) => {
      if (s.model?.id !== e.modelId) return {};
      const metrics = s.tune.metricsOf === e.modelId ? s.tune.metrics : [];
      return { tune: { ...s.tune, method: e.method, metrics: [...metrics, ...e.metrics].slice(-2000), metricsOf: e.modelId, stages: e.stages }, demo: false };
    }),
});

/** A new model: its own stages and ratings; the old model's samples and reference answers go. */
export function tuneOnModel(ev: Events['model'], t: TuneState): Partial<TuneSlice> {
  const { pair: _p, before: _b, ...rest } = t;
  const tuned = ev.model.origin === 'tuned';
  return { tune: { ...rest, stages: ev.model.stages, ratings: ev.ratings, ...(tuned ? {} : { metrics: [], metricsOf: undefined }) } };
}
