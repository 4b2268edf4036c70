/**
 * Named reads of the main store for components (`useRanked()`, `useRun()`, …): each says
 * what it shows and keeps the "belongs to the live model" check in one place, so no
 * component can show an answer of a model that is gone.
 */
import { learningRateAt } from '../../train/schedule';
import { useFolio, type FolioState } from './folio';
import { trackKey, type TrackPoint } from './promptSlice';

/** The answer, if it belongs to the live model. */
function ofLive<T extends { modelId?: string }>(s: FolioState, v: T | undefined): T | undefined {
  return v && s.model && v.modelId === s.model.id ? v : undefined;
}

export const useModel = () => useFolio((s) => s.model);
export const useModelId = () => useFolio((s) => s.model?.id);
export const useBackend = () => useFolio((s) => s.backend);
export const useSettings = () => useFolio((s) => s.settings);
export const useLang = () => useFolio((s) => s.settings.lang);
export const usePrompt = () => useFolio((s) => s.prompt);
export const useRun = () => useFolio((s) => s.run);
export const useRunState = () => useFolio((s) => s.run.state);
export const useLosses = () => useFolio((s) => s.losses);
export const useEvals = () => useFolio((s) => s.evals);
export const useSamples = () => useFolio((s) => s.samples);
export const useBusy = () => useFolio((s) => s.busy);
export const useTune = () => useFolio((s) => s.tune);

/** Every step the live model has trained, all stages together (what a "replace it?" question states). */
export const useTotalSteps = () => useFolio((s) => s.model?.totalSteps ?? 0);

/** The live model's ranked next words for the prompt it was asked (undefined until it answers). */
export const useRanked = () => useFolio((s) => ofLive(s, s.prediction));
export const rankedOf = (s: FolioState) => ofLive(s, s.prediction);

const NO_POINTS: TrackPoint[] = [];
/** P(tracked word | prompt) over the live model's steps, for the word and prompt on show. */
export const useTrackCurve = () =>
  useFolio((s) => (s.tracks.modelId === s.model?.id ? (s.tracks.curves[trackKey(s.prompt, s.settings.track)] ?? NO_POINTS) : NO_POINTS));
export const trackCurveOf = (s: FolioState) =>
  s.tracks.modelId === s.model?.id ? (s.tracks.curves[trackKey(s.prompt, s.settings.track)] ?? NO_POINTS) : NO_POINTS;

export const useAttention = () => useFolio((s) => ofLive(s, s.attention));
export const useGeneration = () => useFolio((s) => ofLive(s, s.generation));
export const useFeedbackPair = () => useFolio((s) => ofLive(s, s.tune.pair));
export const useBefore = () => useFolio((s) => ofLive(s, s.tune.before));
/** The chat box's question and answer, when asked of the live model. */
export const useChat = () => useFolio((s) => ofLive(s, s.tune.chat));
/** The last autosave, when it is of the live model (or the save it was resumed from). */
export const useLastSave = () =>
  useFolio((s) => (s.lastSave && s.model && (s.lastSave.modelId === s.model.id || s.lastSave.modelId === s.model.parentId) ? s.lastSave : undefined));

/**
 * The learning rate the model's next step uses: its schedule (warm-up, cosine decay,
 * floor) at the current step — what the worker's trainer reports as `lr` in progress.
 */
export function learningRateNow(s: FolioState): number | undefined {
  return s.model ? learningRateAt(s.run.step, s.model.train) : undefined;
}
