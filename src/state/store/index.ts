/** The page's stores and their named selectors (see folio.ts for the main store's slices). */
export { useFolio, type FolioState } from './folio';
export * from './selectors';
export { makeStore, type PageStore, type Patch, type Slice } from './makeStore';
export { defaultSettings, type Settings } from './settingsSlice';
export { initialRun, type RunView } from './runSlice';
export { trackKey, type AttentionView, type Generation, type TrackPoint } from './promptSlice';
export { askBeforeReplacing, type SavedRecord, type SizeAdvice } from './modelSlice';
export type { Banner, PendingConfirm } from './noticesSlice';
export type { TuneState } from './tuneSlice';
export { nearestSnapshot, type RewindView } from './rewindSlice';
export { DEFAULT_PROMPT, BOW_SENTENCES } from '../prompts';
