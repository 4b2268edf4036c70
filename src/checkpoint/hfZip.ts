/**
 * A Hugging Face folder (huggingface.ts's files) as one .zip, and back: the page's export
 * is this one download, and *Load from files* reads it. The zip holds `<folder>/config.json`,
 * `<folder>/model.safetensors`, …, so unzipping it makes the folder that
 * `from_pretrained(folder)` reads (the README's Python does exactly that). Files are stored,
 * not compressed (util/zip.ts): weights barely compress, and no dependency is needed.
 */
import { FolioError, notice } from '../i18n';
import { unzipStored, zipStored, ZipError } from '../util/zip';
import { HF_FILES, type HfFiles } from './huggingface';

/** The archive's parts (concatenate them, or make a Blob of them). */
export function hfZip(hf: HfFiles, folder: string, when?: Date): Uint8Array[] {
  const entries = (Object.keys(HF_FILES) as (keyof HfFiles)[]).flatMap((key) => {
    const content = hf[key];
    if (content === undefined) return [];
    return [{ name: `${folder}/${HF_FILES[key]}`, data: typeof content === 'string' ? new TextEncoder().encode(content) : content }];
  });
  return zipStored(entries, when);
}

/** The folder's files from a .zip of it (at any depth inside; a name is matched without its folder). */
export function hfFromZip(bytes: Uint8Array): HfFiles {
  let files: Map<string, Uint8Array>;
  try {
    files = unzipStored(bytes);
  } catch (e) {
    if (e instanceof ZipError) throw new FolioError(notice('hfZipUnreadable', { reason: e.reason }));
    throw e;
  }
  const byName = new Map([...files].map(([name, data]) => [name.slice(name.lastIndexOf('/') + 1).toLowerCase(), data] as const));
  const text = (key: keyof HfFiles) => {
    const data = byName.get(HF_FILES[key]);
    return data === undefined ? undefined : new TextDecoder().decode(data);
  };
  const config = text('config');
  if (config === undefined) throw new FolioError(notice('hfMissingFile', { name: HF_FILES.config }));
  const safetensors = [...byName].find(([name]) => name.endsWith('.safetensors'))?.[1];
  if (safetensors === undefined) throw new FolioError(notice('hfMissingFile', { name: HF_FILES.safetensors }));
  const [tokenizer, folio] = [text('tokenizer'), text('folio')];
  return { config, safetensors, ...(tokenizer !== undefined ? { tokenizer } : {}), ...(folio !== undefined ? { folio } : {}) };
}
