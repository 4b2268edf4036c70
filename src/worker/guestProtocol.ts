/**
 * The guest's lines of the worker protocol's request table (protocol.ts `Requests` extends
 * these): a pretrained model from the Hub beside the person's own (guest.ts), with its own
 * id and the same questions, and its LoRA fine-tuning (guestLora.ts, its cost meter on the
 * person's corpus), which the page drives
 * a few steps at a time so it can show progress and stop between steps. Types only.
 */
import type { SampleConfig } from '../config';
import type { Gpt2Files } from '../checkpoint/gpt2';
import type { LoraConfig } from '../model/lora';
import type { LensResult } from '../predict/lens';
import type { Prediction } from '../predict/predictor';
import type { TuneMethod, TuneMetrics } from '../train/finetune/preference';
import type { Fit, PreferenceRecord, SftRecord } from '../train/finetune/tuneData';
import type { Notice } from '../i18n';
import type { GuestSummary } from './summary';

/** A LoRA stage on the guest: the method, its data as text, the adapters' settings (model/lora.ts defaults for what is left out). */
export interface GuestTuneStart {
  method: TuneMethod;
  lora: Partial<LoraConfig>;
  beta?: number;
  lr?: number;
  /** Stop when the cost meter's KL passes this many nats (0: no budget; default 0.3). */
  klBudget?: number;
  examples?: SftRecord[];
  pairs?: PreferenceRecord[];
}

export interface GuestRequests {
  /** Check a GPT-2-family folder's files (the weights' bytes transferred) and make it the guest; the old guest stays if this fails. */
  guestLoad: { ask: { repo: string; files: Gpt2Files }; answer: { model: GuestSummary } };
  /** Free the guest. */
  guestDrop: { ask: Record<never, never>; answer: { modelId: string | null } };
  /** The guest's ranked next words; the newest request wins. */
  guestPredict: {
    ask: { modelId: string; prompt: string; topTokens?: number; topWords?: number };
    answer: { modelId: string; prompt: string; prediction: Prediction };
  };
  guestAttention: { ask: { modelId: string; prompt: string }; answer: { modelId: string; tokens: string[]; maps: number[][][][] } };
  guestLens: { ask: { modelId: string; prompt: string }; answer: { modelId: string; lens: LensResult } };
  /** Tokens stream as `generated` events; the answer comes after the last. */
  guestGenerate: { ask: { modelId: string; prompt: string; sample: SampleConfig }; answer: { modelId: string; count: number } };
  /** Start a LoRA stage on the guest (adapters added if it has none; the guest as it is, its base shared, becomes the reference): what fitting the data did. */
  guestTuneStart: {
    ask: { modelId: string; start: GuestTuneStart; steps: number };
    answer: { modelId: string; fit: Fit; trainable: number; metered: boolean };
  };
  /** Run up to `count` steps of the stage: their metrics (the cost meter's among them), and whether it is done (`outcome`: a budget stop). */
  guestTuneSteps: {
    ask: { modelId: string; count: number };
    answer: { modelId: string; step: number; metrics: TuneMetrics[]; done: boolean; outcome?: Notice[] };
  };
  /** End the stage (its reference and optimiser freed): the guest, under a new id (its answers changed). */
  guestTuneEnd: { ask: { modelId: string }; answer: { model: GuestSummary } };
  /** The guest's adapters in PEFT's format (adapter_config.json + adapter_model.safetensors, the bytes transferred). */
  guestAdapters: { ask: { modelId: string }; answer: { modelId: string; config: string; weights: ArrayBuffer } };
  /**
   * The guest as a Hugging Face GPT-2 folder in one .zip (`<folder>/config.json`, model.safetensors,
   * its tokenizer files; checkpoint/gpt2.ts gpt2FolderFiles, hfZip.ts): its adapters merged into
   * the written weights, the guest and its adapters untouched. The archive's parts, their bytes transferred.
   */
  guestExport: { ask: { modelId: string; folder: string }; answer: { modelId: string; parts: Uint8Array[] } };
  /** Merge the adapters into the guest's weights for good (the same answers, a plain model again). */
  guestMerge: { ask: { modelId: string }; answer: { model: GuestSummary } };
}
