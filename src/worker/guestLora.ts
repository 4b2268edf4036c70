/**
 * LoRA fine-tuning of the guest (the pretrained model beside the person's own, guest.ts):
 * adapters on its projections (model/lora.ts), its base weights frozen, trained by the same
 * SFT, DPO and RLHF tuners as the toy (train/finetune/), the guest as it was (its base
 * shared, not copied) as the stage's reference. The page drives a stage a few steps at a time (start, steps, end), so it shows
 * progress and can stop between steps; the adapters then leave as PEFT's files, or merge in.
 * Not here: the cost meter and the hold on what it knew (a Hub model comes without the text
 * it learned from), nor the run loop (the guest never pre-trains).
 */
import { toPeft } from '../checkpoint/peft';
import { FolioError, notice } from '../i18n';
import { disposeGPT, type GPT } from '../model/gpt';
import { addLora, frozenView, LORA_DEFAULTS, LORA_LR, loraConfigProblem, mergeLora, type LoraConfig } from '../model/lora';
import { defaultBeta, makeTuner, TUNE_DEFAULTS, type Tuner } from '../train/finetune/preference';
import { endMarks } from '../train/finetune/sampling';
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

export class GuestLora {
  private tuner?: Tuner;
  private reference?: GPT;

  /** Start a stage: encode and fit the data, add adapters if the guest has none, freeze a copy as the reference. */
  start(g: GuestModel, s: GuestTuneStart): { fit: Fit; trainable: number } {
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
    this.tuner = makeTuner(s.method, g.model, this.reference, { ...data, ends: endMarks(g.tokenizer) }, cfg);
    return { fit, trainable: loraSummary(g.model)!.trainable };
  }

  /** Run `count` steps; their metrics. */
  async steps(count: number): Promise<{ step: number; metrics: Awaited<ReturnType<Tuner['readMetrics']>> }> {
    const t = this.tuner;
    if (!t) throw new FolioError(notice('noGuestStage'));
    for (let i = 0; i < count; i++) await t.trainStep();
    return { step: t.step, metrics: await t.readMetrics() };
  }

  /** End the stage: the tuner and the reference freed (the adapters stay on the guest). */
  end(): void {
    this.tuner?.dispose();
    if (this.reference) disposeGPT(this.reference);
    this.tuner = this.reference = undefined;
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
