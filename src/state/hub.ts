/**
 * The pretrained model from the Hugging Face Hub as the page holds it: the repo in the field,
 * where its loading stands (sizing, waiting for the person's yes, downloading with the bytes
 * so far, building), the guest the worker made live (its own id), and that guest's ranked
 * next words for the prompt — kept with the id of the model that answered, so an answer of
 * a guest since unloaded is never shown. The repo and the last one loaded are remembered, so
 * the next visit brings the same model back from the browser's cache, offline too.
 * The commands are commands/hub.ts, and commands/guestLora.ts for its LoRA fine-tuning.
 */
import type { HubPlan } from '../checkpoint/hub';
import type { Notice } from '../i18n';
import type { Prediction } from '../predict/predictor';
import type { TuneMethod, TuneMetrics } from '../train/finetune/tuneConfig';
import type { GuestSummary } from '../worker/protocol';
import { makeStore } from './store/makeStore';

export type HubPhase = 'idle' | 'sizing' | 'confirm' | 'downloading' | 'building' | 'loaded';

export interface HubState {
  repo: string;
  /** The repo loaded last (brought back from the cache on the next visit). */
  lastLoaded?: string;
  phase: HubPhase;
  plan?: HubPlan;
  /** Bytes downloaded so far. */
  done: number;
  model?: GuestSummary;
  /** How long the last load took, click to answer (ms). */
  loadMs?: number;
  ranked?: { modelId: string; prompt: string; prediction: Prediction };
  error?: Notice;
  /** A LoRA stage on the guest (commands/guestLora.ts): its steps so far, its target, its metrics; `stopping` after Stop. */
  tuning?: { method: TuneMethod; step: number; steps: number; metrics: TuneMetrics[]; trainable: number; stopping?: boolean };
  /** What the last LoRA stage came to, when there is something to say (its KL budget spent). */
  outcome?: Notice[];
  /** The guest's full export (commands/guestLora.ts exportModel) under way, or why it failed: of the guest with that id. */
  exporting?: { modelId: string; busy: boolean; error?: Notice };
}

export const useHub = makeStore<HubState>(() => ({ repo: 'openai-community/gpt2', phase: 'idle', done: 0 }), {
  key: 'folio-hub',
  version: 1,
  pick: (s) => ({ repo: s.repo, ...(s.lastLoaded ? { lastLoaded: s.lastLoaded } : {}) }),
  merge: (stored, current) => {
    const s = (stored ?? {}) as Partial<HubState>;
    return {
      ...current,
      ...(typeof s.repo === 'string' ? { repo: s.repo } : {}),
      ...(typeof s.lastLoaded === 'string' ? { lastLoaded: s.lastLoaded } : {}),
    };
  },
});

/** The guest's ranked words, when they are of the guest loaded now. */
export function guestRanked(s: HubState): HubState['ranked'] {
  return s.ranked && s.model && s.ranked.modelId === s.model.id ? s.ranked : undefined;
}

/** The folder (and, with .zip, the download) a full export of the guest is named: `gpt2-merged` with its adapters merged in, `gpt2-hf` without. */
export function guestFolderName(m: Pick<GuestSummary, 'repo' | 'lora'>): string {
  const name = (m.repo.split('/').pop() || 'model').replace(/[^\w.-]+/g, '-').slice(0, 60);
  return `${name}-${m.lora ? 'merged' : 'hf'}`;
}

/** "GPT-2 (124 M)": a short name for the guest, from its repo. */
export function guestName(m: Pick<GuestSummary, 'repo'>): string {
  const name = m.repo.split('/').pop() ?? m.repo;
  return /^gpt2$/i.test(name) ? 'GPT-2' : name;
}
