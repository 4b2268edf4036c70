/** A Hugging Face GPT-2 folder on disk (checkpoint/huggingface.ts's files), or its .zip (checkpoint/hfZip.ts), read and written. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactFiles } from '../checkpoint/checkpoint';
import { hfFromZip, hfZip } from '../checkpoint/hfZip';
import { fromHuggingFace, HF_FILES, type HfFiles } from '../checkpoint/huggingface';

const optional = (p: string) => readFile(p, 'utf8').catch(() => undefined);

/** The folder (or FILE.zip) as Folio checkpoint files, or undefined when it holds no config.json + model.safetensors. */
export async function readHfFolder(dir: string): Promise<ArtifactFiles | undefined> {
  if (/\.zip$/i.test(dir)) {
    const zip = await readFile(dir).catch(() => undefined);
    return zip && fromHuggingFace(hfFromZip(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength)));
  }
  const config = await optional(path.join(dir, HF_FILES.config));
  if (config === undefined) return undefined;
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(dir, HF_FILES.safetensors));
  } catch {
    return undefined;
  }
  const tokenizer = await optional(path.join(dir, HF_FILES.tokenizer));
  const folio = await optional(path.join(dir, HF_FILES.folio));
  return fromHuggingFace({
    config,
    safetensors: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    ...(tokenizer !== undefined ? { tokenizer } : {}),
    ...(folio !== undefined ? { folio } : {}),
  });
}

/** Write the folder's files; returns their names. */
export async function writeHfFolder(dir: string, files: HfFiles): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const key of Object.keys(HF_FILES) as (keyof HfFiles)[]) {
    const content = files[key];
    if (content === undefined) continue;
    await writeFile(path.join(dir, HF_FILES[key]), content);
    written.push(HF_FILES[key]);
  }
  return written;
}

/** Write the folder as one .zip (`<folder>/config.json`, …); returns the names of the files inside. */
export async function writeHfZip(file: string, folder: string, files: HfFiles): Promise<string[]> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, Buffer.concat(hfZip(files, folder)));
  return (Object.keys(HF_FILES) as (keyof HfFiles)[]).filter((k) => files[k] !== undefined).map((k) => HF_FILES[k]);
}
