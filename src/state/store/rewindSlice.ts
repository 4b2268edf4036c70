/**
 * Rewind (issue 27) as the page holds it: the snapshots the worker keeps of the live
 * model's run, the one the person is looking at (`at`; none: the live model, now), and what
 * that snapshot answered — the ranked words, attention, a sample, the embedding map, the
 * logit lens — and
 * the film strip (the prompt's top word at every snapshot). Every answer names the model
 * and the step it is of; a new model clears all of it (its run has its own snapshots), and
 * the selectors show nothing of another model.
 *
 * Not here: asking (commands/rewind.ts), drawing (ui/rewind/).
 */
import type { Notice } from '../../i18n';
import type { EmbeddingMap } from '../../predict/embeddings';
import type { LensResult } from '../../predict/lens';
import type { Prediction } from '../../predict/predictor';
import type { FilmFrame, RewindAnswer, SnapshotList } from '../../worker/protocol';
import type { Slice } from './makeStore';
import type { ModelSlice } from './modelSlice';
import type { AttentionView } from './promptSlice';

export interface RewindView {
  /** The live model's snapshots, as the worker listed them last. */
  snapshots?: SnapshotList;
  /** The snapshot on show (undefined: the live model, now). */
  at?: number;
  prediction?: { modelId: string; step: number; prompt: string; result: Prediction };
  attention?: { modelId: string; step: number; prompt: string; view: AttentionView };
  sample?: { modelId: string; step: number; prompt: string; text: string };
  embeddings?: { modelId: string; step: number; map: EmbeddingMap };
  lens?: { modelId: string; step: number; prompt: string; lens: LensResult };
  strip?: { modelId: string; prompt: string; track: string; frames: FilmFrame[] };
  /** Why the snapshot on show could not answer (the prompt, a snapshot dropped meanwhile). */
  error?: Notice;
}

export interface RewindSlice {
  rewind: RewindView;
  /** The worker's list of snapshots changed (a snapshot shown that went is replaced by its nearest). */
  snapshotsListed: (list: SnapshotList) => void;
  /** Look at the snapshot nearest `step`, or (undefined) at the live model. */
  rewindTo: (step: number | undefined) => void;
  /** An answer of a snapshot. */
  rewound: (modelId: string, answer: RewindAnswer) => void;
  rewindFailed: (n: Notice) => void;
}

type State = RewindSlice & ModelSlice;
const live = (s: State, modelId: string | undefined) => modelId !== undefined && s.model?.id === modelId;

/** The snapshot step nearest `step` (ties: the earlier one), if there are any. */
export function nearestSnapshot(steps: readonly number[], step: number): number | undefined {
  let best: number | undefined;
  for (const s of steps) if (best === undefined || Math.abs(s - step) < Math.abs(best - step)) best = s;
  return best;
}

export const rewindSlice: Slice<RewindSlice, State> = (set) => ({
  rewind: {},
  snapshotsListed: (list) =>
    set((s) => {
      if (!live(s, list.modelId)) return {};
      const at = s.rewind.at;
      const keep = at === undefined || list.steps.includes(at) ? at : nearestSnapshot(list.steps, at);
      return { rewind: { ...s.rewind, snapshots: list, at: keep } };
    }),
  rewindTo: (step) =>
    set((s) => {
      const steps = live(s, s.rewind.snapshots?.modelId) ? s.rewind.snapshots!.steps : [];
      const at = step === undefined ? undefined : nearestSnapshot(steps, step);
      return at === s.rewind.at ? {} : { rewind: { ...s.rewind, at, error: undefined } };
    }),
  rewound: (modelId, a) =>
    set((s) => {
      if (!live(s, modelId)) return {}; // a model that is gone
      const r = s.rewind;
      switch (a.kind) {
        case 'predict':
          return { rewind: { ...r, error: undefined, prediction: { modelId, step: a.step, prompt: a.prompt, result: a.prediction } } };
        case 'attention':
          return { rewind: { ...r, attention: { modelId, step: a.step, prompt: a.prompt, view: { tokens: a.tokens, maps: a.maps } } } };
        case 'sample':
          return { rewind: { ...r, sample: { modelId, step: a.step, prompt: a.prompt, text: a.text } } };
        case 'embeddings':
          return { rewind: { ...r, embeddings: { modelId, step: a.step, map: a.map } } };
        case 'lens':
          return { rewind: { ...r, lens: { modelId, step: a.step, prompt: a.prompt, lens: a.lens } } };
        case 'strip':
          return { rewind: { ...r, strip: { modelId, prompt: a.prompt, track: a.track ?? '', frames: a.frames } } };
      }
    }),
  rewindFailed: (error) => set((s) => ({ rewind: { ...s.rewind, error } })),
});

/** A new model: nothing of the old run's snapshots stays; the page looks at the present. */
export function rewindOnModel(): Partial<RewindSlice> {
  return { rewind: {} };
}
