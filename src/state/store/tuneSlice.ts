/**
 * Fine-tuning as the page shows it: the stages the live model went through, the metrics of
 * its current (or last) stage with what fitting its data did, its KL budget and what it
 * came to, the person's ratings and instruction examples (theirs, kept across models), the
 * pair of samples on show, the reference's ranked words and the chat box's answer — the
 * last three answered by a model, so keyed by its id.
 */
import type { Notice } from '../../i18n';
import type { Prediction } from '../../predict/predictor';
import type { TuneMethod, TuneMetrics } from '../../train/finetune/preference';
import type { Rating, Stage } from '../../train/run';
import type { Fit, SftRecord } from '../../train/finetune/tuneData';
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
  /** The stage's data as fitted to the context (crops, cuts), its KL budget, and what it came to (a budget stop, RLHF's verdict). */
  fit?: Fit;
  klBudget?: number;
  outcome?: Notice[];
  /** The person's ratings (kept with the model). */
  ratings: Rating[];
  /** Instruction examples for the next instruction-tuning stage. */
  examples: SftRecord[];
  /** The two samples on show, the prompt they continue, and the model that wrote them (`same`: it wrote one text every time). */
  pair?: { modelId: string; prompt: string; a: string; b: string; same: boolean };
  /** The chat box: the question asked of model `modelId`, and its answer once it came. */
  chat?: { modelId: string; question: string; answer?: string };
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
      const same = s.tune.metricsOf === e.modelId;
      const metrics = same ? s.tune.metrics : [];
      // A stage's first report brings its fit and budget; what an older stage came to goes with it.
      const stage = e.fit ? { fit: e.fit, klBudget: e.klBudget, outcome: undefined } : same ? {} : { fit: undefined, klBudget: undefined, outcome: undefined };
      return {
        tune: {
          ...s.tune,
          ...stage,
          ...(e.outcome ? { outcome: e.outcome } : {}),
          method: e.method,
          metrics: [...metrics, ...e.metrics].slice(-2000),
          metricsOf: e.modelId,
          stages: e.stages,
        },
        demo: false,
      };
    }),
});

/** A new model: its own stages and ratings; the old model's samples and reference answers go. */
export function tuneOnModel(ev: Events['model'], t: TuneState): Partial<TuneSlice> {
  const { pair: _p, before: _b, chat: _c, ...rest } = t;
  const tuned = ev.model.origin === 'tuned';
  const cleared = { metrics: [], metricsOf: undefined, fit: undefined, klBudget: undefined, outcome: undefined };
  return { tune: { ...rest, stages: ev.model.stages, ratings: ev.ratings, ...(tuned ? {} : cleared) } };
}
