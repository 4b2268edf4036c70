/**
 * *Save for Python / Hugging Face*: the worker's checkpoint files converted to a Hugging
 * Face GPT-2 folder (checkpoint/huggingface.ts, with a README.md in the page's language) and
 * saved as one download, `<base>-hf.zip`, which unzips to the folder `<base>-hf/` that
 * transformers' `from_pretrained` reads. The converter loads only when asked.
 */
import type { Lang } from '../../i18n';
import type { CheckpointFiles } from '../../worker/protocol';

/** The folder's name (and the zip's, with `.zip`) for checkpoint files named `base`. */
export const hfFolderName = (base: string) => `${base}-hf`;

export async function downloadHuggingFace(
  files: CheckpointFiles,
  base: string,
  o: { lang: Lang; prompt?: string },
  save: (name: string, blob: Blob) => void,
): Promise<void> {
  const [{ toHuggingFace }, { hfZip }] = await Promise.all([import('../../checkpoint/huggingface'), import('../../checkpoint/hfZip')]);
  const folder = hfFolderName(base);
  const hf = toHuggingFace(files, { folder, ...o });
  save(`${folder}.zip`, new Blob(hfZip(hf, folder) as BlobPart[], { type: 'application/zip' }));
}
