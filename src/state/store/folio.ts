/**
 * The page's main store, composed of slices (zustand's slice pattern: each slice a creator
 * in its own file with its keys and actions): settings, the model, its run, the prompt and
 * the model's answers, the notices, fine-tuning, rewind. One action ties them together:
 * `modelChanged`, called for every `model` event of the worker, gives each slice the new
 * model, so nothing derived from the old one stays on screen.
 *
 * Components read it through the named selectors (selectors.ts); the bridge and the
 * commands write through the slices' actions (`useFolio.get().progress(…)`), never with a
 * bare setState.
 */
import type { Events } from '../../worker/protocol';
import { makeStore } from './makeStore';
import { modelOnModel, modelSlice, type ModelSlice } from './modelSlice';
import { noticesOnModel, noticesSlice, type NoticesSlice } from './noticesSlice';
import { promptOnModel, promptSlice, type PromptSlice } from './promptSlice';
import { rewindOnModel, rewindSlice, type RewindSlice } from './rewindSlice';
import { runOnModel, runSlice, type RunSlice } from './runSlice';
import { defaultSettings, settingsSlice, type SettingsSlice } from './settingsSlice';
import { tuneOnModel, tuneSlice, type TuneSlice } from './tuneSlice';

export type FolioState = SettingsSlice &
  ModelSlice &
  RunSlice &
  PromptSlice &
  NoticesSlice &
  TuneSlice &
  RewindSlice & {
    /** The worker made a new model live: every slice takes it (and drops what it derived from the old one). */
    modelChanged: (ev: Events['model']) => void;
  };

export const useFolio = makeStore<FolioState>(
  (set, get) => ({
    ...settingsSlice(set, get),
    ...modelSlice(set, get),
    ...runSlice(set, get),
    ...promptSlice(set, get),
    ...noticesSlice(set, get),
    ...tuneSlice(set, get),
    ...rewindSlice(set, get),
    modelChanged: (ev) =>
      set((s) => ({
        ...promptOnModel(ev, s), // before the model changes: it reads which model the curves belong to
        ...noticesOnModel(s, ev.model.id),
        ...tuneOnModel(ev, s.tune),
        ...runOnModel(ev),
        ...rewindOnModel(),
        ...modelOnModel(ev),
      })),
  }),
  {
    key: 'folio.settings',
    version: 1,
    pick: (s) => ({ settings: s.settings }),
    merge: (stored, current) => ({ ...current, settings: { ...defaultSettings, ...((stored as Partial<FolioState> | undefined)?.settings ?? {}) } }),
  },
);
