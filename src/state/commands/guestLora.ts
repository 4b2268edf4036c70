/**
 * The Fine-tune panel's LoRA commands for the guest (the pretrained GPT-2 beside the
 * person's model): a stage of SFT, DPO or RLHF on low-rank adapters, with the panel's own
 * data (its instruction examples, its rated pairs), run one step per request so the panel
 * shows each step (with the cost meter's readings) and Stop takes effect between two, and
 * the KL budget ends it as it ends the toy's; then the guest's adapters as PEFT's
 * two files, or merged into it, or the whole guest — adapters merged into what is written,
 * not into it — as a Hugging Face folder in one .zip, as the toy's export is delivered.
 * The worker's side is worker/guestLora.ts and worker/guest.ts.
 */
import { FolioError, notice, noticeOf } from '../../i18n';
import type { LoraConfig } from '../../model/lora';
import type { TuneMethod } from '../../train/finetune/tuneConfig';
import type { PreferenceRecord } from '../../train/finetune/tuneData';
import { guestFolderName, useHub } from '../hub';
import type { PageContext } from './context';

export function guestLoraCommands({ link, store }: PageContext, repredict: () => void) {
  const hub = useHub;
  const failed = (e: unknown) => hub.update({ error: noticeOf(e), tuning: undefined });

  const commands = {
    /** Tune the guest's adapters for `steps` steps by `method` on the panel's data. */
    async tune(method: TuneMethod, steps: number, lora: Partial<LoraConfig>): Promise<void> {
      const model = hub.get().model;
      if (!model || hub.get().tuning) return;
      const { tune } = store.get();
      const pairs = tune.ratings.filter((r): r is PreferenceRecord => 'chosen' in r);
      const data = method === 'sft' ? { examples: tune.examples } : { pairs };
      try {
        if (method === 'sft' && tune.examples.length === 0) throw new FolioError(notice('noExamples'));
        if (method !== 'sft' && pairs.length === 0) throw new FolioError(notice('noPairs'));
        hub.update({ error: undefined, outcome: undefined, tuning: { method, step: 0, steps, metrics: [], trainable: 0 } });
        const start = await link.ask('guestTuneStart', { modelId: model.id, start: { method, lora, ...data }, steps });
        hub.update({ tuning: { ...hub.get().tuning!, trainable: start.trainable } });
        let done = false;
        while (!done && !hub.get().tuning!.stopping) {
          const r = await link.ask('guestTuneSteps', { modelId: model.id, count: 1 });
          const t = hub.get().tuning!;
          done = r.done;
          hub.update({ tuning: { ...t, step: r.step, metrics: [...t.metrics, ...r.metrics] }, ...(r.outcome?.length ? { outcome: r.outcome } : {}) });
        }
        const { model: tuned } = await link.ask('guestTuneEnd', { modelId: model.id });
        hub.update({ model: tuned, tuning: undefined });
        repredict();
      } catch (e) {
        failed(e);
      }
    },

    /** Stop after the step under way. */
    stop(): void {
      const t = hub.get().tuning;
      if (t) hub.update({ tuning: { ...t, stopping: true } });
    },

    /** The guest's adapters as PEFT's two files (adapter_config.json, adapter_model.safetensors). */
    async adapters(): Promise<{ config: string; weights: ArrayBuffer } | undefined> {
      const model = hub.get().model;
      if (!model) return undefined;
      try {
        return await link.ask('guestAdapters', { modelId: model.id });
      } catch (e) {
        failed(e);
        return undefined;
      }
    },

    /**
     * The guest as a Hugging Face GPT-2 folder in one .zip for the page to save (`<name>-merged.zip`
     * with its adapters merged in, `<name>-hf.zip` without). The worker writes and zips it; a
     * failure (out of memory, say) shows beside the button, and the guest and its adapters stay as they were.
     */
    async exportModel(): Promise<{ name: string; blob: Blob } | undefined> {
      const model = hub.get().model;
      if (!model || hub.get().exporting?.busy) return undefined;
      const folder = guestFolderName(model);
      hub.update({ exporting: { modelId: model.id, busy: true } });
      try {
        const { parts } = await link.ask('guestExport', { modelId: model.id, folder });
        const blob = new Blob(parts as BlobPart[], { type: 'application/zip' });
        hub.update({ exporting: undefined });
        return { name: `${folder}.zip`, blob };
      } catch (e) {
        const error = e instanceof RangeError ? notice('guestExportMemory', { bytes: 4 * model.paramCount }) : noticeOf(e);
        hub.update({ exporting: { modelId: model.id, busy: false, error } });
        return undefined;
      }
    },

    /** Merge the adapters into the guest for good. */
    async merge(): Promise<void> {
      const model = hub.get().model;
      if (!model) return;
      try {
        hub.update({ model: (await link.ask('guestMerge', { modelId: model.id })).model });
      } catch (e) {
        failed(e);
      }
    },
  };
  return commands;
}
