/**
 * *Save for Python / Hugging Face*: the worker's checkpoint files converted to a Hugging
 * Face GPT-2 folder (checkpoint/huggingface.ts) and saved as downloads with the names
 * transformers expects (config.json, model.safetensors, tokenizer.json, …): put them in
 * one folder and `from_pretrained` reads it. The converter loads only when asked.
 */
import type { HfFiles } from '../../checkpoint/huggingface';
import type { CheckpointFiles } from '../../worker/protocol';

export async function downloadHuggingFace(files: CheckpointFiles, save: (name: string, blob: Blob) => void): Promise<void> {
  const { toHuggingFace, HF_FILES } = await import('../../checkpoint/huggingface');
  const hf = toHuggingFace(files);
  for (const key of Object.keys(HF_FILES) as (keyof HfFiles)[]) {
    const content = hf[key];
    if (content === undefined) continue;
    const type = typeof content === 'string' ? 'application/json' : 'application/octet-stream';
    save(HF_FILES[key], new Blob([content as BlobPart], { type }));
  }
}
