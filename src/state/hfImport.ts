/**
 * A Hugging Face GPT-2 folder chosen in *Load from files* (config.json, model.safetensors,
 * and tokenizer.json or folio.json; see checkpoint/huggingface.ts), or the one .zip the
 * export saves (checkpoint/hfZip.ts), turned into the two files of a Folio checkpoint,
 * which then load as any other. The converter (and tfjs with it) is loaded only when such
 * a folder is chosen.
 */
import type { HfFiles } from '../checkpoint/huggingface';
import { FolioError, notice } from '../i18n';

/** Whether the chosen files are a Hugging Face folder (or its .zip) rather than Folio's .json + .weights.bin. */
export function isHfFolder(files: readonly File[]): boolean {
  return files.some((f) => /\.(safetensors|zip)$/i.test(f.name));
}

/** The folder as a Folio checkpoint's model.json and weights.bin; throws a CheckpointError (a notice) when it cannot be read. */
export async function hfFolderAsCheckpoint(files: readonly File[]): Promise<File[]> {
  const { fromHuggingFace, HF_FILES } = await import('../checkpoint/huggingface');
  const zip = files.find((f) => /\.zip$/i.test(f.name));
  if (zip) {
    const { hfFromZip } = await import('../checkpoint/hfZip');
    return asCheckpoint(fromHuggingFace(hfFromZip(new Uint8Array(await zip.arrayBuffer()))));
  }
  const named = (key: keyof HfFiles) => files.find((f) => f.name.toLowerCase() === HF_FILES[key]);
  const text = async (key: keyof HfFiles) => named(key)?.text();
  const config = await text('config');
  if (config === undefined) throw new FolioError(notice('hfMissingFile', { name: HF_FILES.config }));
  const weights = files.find((f) => /\.safetensors$/i.test(f.name))!;
  const [tokenizer, folio] = [await text('tokenizer'), await text('folio')];
  const hf: HfFiles = {
    config,
    safetensors: new Uint8Array(await weights.arrayBuffer()),
    ...(tokenizer !== undefined ? { tokenizer } : {}),
    ...(folio !== undefined ? { folio } : {}),
  };
  return asCheckpoint(fromHuggingFace(hf));
}

const asCheckpoint = (out: { json: string; weights: ArrayBuffer }): File[] => [
  new File([out.json], 'model.json', { type: 'application/json' }),
  new File([out.weights], 'model.weights.bin', { type: 'application/octet-stream' }),
];
