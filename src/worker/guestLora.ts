/**
 * LoRA fine-tuning of the guest (the pretrained model beside the person's own, guest.ts):
 * adapters on its projections (model/lora.ts), its base weights frozen, trained by the same
 * SFT, DPO and RLHF tuners as the toy (train/finetune/), the guest as it was (its base
 * shared, not copied) as the stage's reference. The page drives a stage a few steps at a time (start, steps, end), so it shows
 * progress and can stop between steps; the adapters then leave as PEFT's files, or merge in.
 * The cost meter (train/finetune/stage.ts) reads it as the toy's does, on windows of the
 * person's corpus the data does not touch (GPT-2 came without the text it learned from: any
 * text shows what else the stage moved), short ones, and its KL budget stops the stage.
 * There is no hold on what it knew: it costs a 124 M model a second pass every step.
 * Not here: the run loop (the guest never pre-trains).
 */
import { toPeft } from '../checkpoint/peft';
import { disposeGPT, type GPT } from '../model/gpt';
import { addLora, frozenView, LORA_DEFAULTS, LORA_LR, loraConfigProblem, mergeLora, type LoraConfig } from '../model/lora';
import { splitTokens } from '../data/dataset';
import { FolioError, notice, type Notice } from '../i18n';
import { defaultBeta, TUNE_DEFAULTS, type TuneMetrics } from '../train/finetune/preference';
import { startStage, type TuneStage } from '../train/finetune/stage';
import { encodePairs, encodeSft, type Fit } from '../train/finetune/tuneData';
import type { Tokenizer } from '../tokenizer';
import type { GuestTuneStart } from './guestProtocol';
import type { GuestSummary } from './summary';

/** What the guest desk lends: the guest's model and tokenizer. */
export interface GuestModel {
  model: GPT;
  tokenizer: Tokenizer;
  summary: GuestSummary;
}

/** The guest's adapters as its summary says them. */
export function loraSummary(model: GPT): GuestSummary['lora'] {
  if (!model.lora) return undefined;
  const { r, alpha, targets } = model.lora.config;
  return { r, alpha, targets: [...targets], trainable: model.lora.named.reduce((n, p) => n + p.variable.size, 0) };
}

/** The meter's windows: 64 tokens (GPT-2's whole context, 1024, would make each reading take minutes on wasm), 16 of them. */
const WINDOW = 64;
const PROBES = 16;

/** A text as the guest's token streams (none when it is too short to hold out windows). */
function streams(text: string, tok: Tokenizer): { train: Int32Array; val: Int32Array } | undefined {
  try {
    return splitTokens(tok.encode(text.slice(0, 200_000)), WINDOW);
  } catch {
    return undefined;
  }
}

export class GuestLora {
  private stage?: TuneStage;
  private reference?: GPT;

  /** Start a stage: encode and fit the data, add adapters if the guest has none, the guest as it is as the reference, the meter on `corpus`. */
  start(g: GuestModel, s: GuestTuneStart & { steps: number }, corpus?: string): { fit: Fit; trainable: number; metered: boolean } {
    const B = g.model.config.blockSize;
    const { fit, ...data } = s.method === 'sft' ? encodeSft(s.examples ?? [], g.tokenizer, B) : encodePairs(s.pairs ?? [], g.tokenizer, B);
    if (!fit.count) throw new FolioError(notice(s.method === 'sft' ? 'noExamples' : 'noPairs'));
    const config: LoraConfig = { ...LORA_DEFAULTS, ...s.lora };
    const problem = loraConfigProblem(config, g.model);
    if (problem === 'r' || problem === 'lora_alpha') throw new FolioError(notice('loraRank', { got: String(config.r) }));
    if (problem) throw new FolioError(notice('loraTargets', { got: config.targets.join(', ') }));
    this.end();
    this.reference = frozenView(g.model); // the guest as it answers now, its base shared (LoRA never changes it), its adapters copied
    if (!g.model.lora) addLora(g.model, config, 1);
    const cfg = { ...TUNE_DEFAULTS, lr: s.lr ?? LORA_LR, beta: s.beta ?? defaultBeta(s.method), keep: 0, batchSize: 4 };
    const text = corpus ? streams(corpus, g.tokenizer) : undefined;
    const settings = { probes: PROBES, ...(s.klBudget !== undefined ? { klBudget: s.klBudget } : {}) };
    this.stage = startStage({
      method: s.method,
      policy: g.model,
      reference: this.reference,
      tokenizer: g.tokenizer,
      data,
      cfg,
      steps: s.steps,
      settings,
      windowTokens: WINDOW,
      ...(text ? { corpus: text } : {}),
    });
    return { fit, trainable: loraSummary(g.model)!.trainable, metered: !!this.stage.meter };
  }

  /** Run up to `count` steps; their metrics, and whether the stage is done (its steps, or its KL budget spent: `outcome` says). */
  async steps(count: number): Promise<{ step: number; metrics: TuneMetrics[]; done: boolean; outcome?: Notice[] }> {
    const st = this.stage;
    if (!st) throw new FolioError(notice('noGuestStage'));
    for (let i = 0; i < count && !st.done; i++) await st.advance();
    return { step: st.step, metrics: await st.read(), done: st.done, ...(st.done ? { outcome: st.outcome() } : {}) };
  }

  /** End the stage: the tuner and the reference freed (the adapters stay on the guest). */
  end(): void {
    this.stage?.dispose();
    if (this.reference) disposeGPT(this.reference);
    this.stage = this.reference = undefined;
  }

  /** The adapters as PEFT's two files. */
  async adapters(g: GuestModel): Promise<{ config: string; weights: ArrayBuffer }> {
    if (!g.model.lora) throw new FolioError(notice('noAdapters'));
    const f = await toPeft(g.model, g.summary.repo);
    return {
      config: f.config,
      weights: f.safetensors.buffer.slice(f.safetensors.byteOffset, f.safetensors.byteOffset + f.safetensors.byteLength) as ArrayBuffer,
    };
  }

  /** Merge the adapters in for good. */
  merge(g: GuestModel): void {
    this.end();
    if (!g.model.lora) throw new FolioError(notice('noAdapters'));
    mergeLora(g.model);
  }
}
