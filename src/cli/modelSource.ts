/**
 * Where a CLI script's model comes from: `--checkpoint DIR` (a Folio checkpoint, a folder
 * Folio exported for Hugging Face, or a GPT-2-family folder as the Hub has it: config.json,
 * model.safetensors, tokenizer.json or vocab.json + merges.txt) or `--hub REPO` (the
 * Hugging Face cache folder first, hubCache.ts; what it lacks is downloaded from
 * `FOLIO_HUB_ENDPOINT`, else `HF_ENDPOINT`, else huggingface.co; `HF_HUB_OFFLINE=1`: never).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadCheckpoint, type CheckpointMeta } from '../checkpoint/checkpoint';
import { gpt2Model, readGpt2, type Gpt2Files, type Gpt2Parts } from '../checkpoint/gpt2';
import { downloadHub, HUB_ENDPOINT, planHub } from '../checkpoint/hub';
import type { GPT } from '../model/gpt';
import type { Tokenizer } from '../tokenizer';
import { UsageError, type Flags } from './args';
import { fileHandler } from './fileHandler';
import { folderCache } from './hubCache';

export interface ModelSource {
  model: GPT;
  tokenizer: Tokenizer;
  /** A Folio checkpoint's record (absent for a GPT-2 folder or a Hub model). */
  meta?: CheckpointMeta;
  /** A pretrained GPT-2's config and tokenizer, as read (a LoRA run saves against them, a merge writes them back). */
  gpt2?: Omit<Gpt2Parts, 'values'>;
  /** The folder or repo, for messages. */
  name: string;
}

const exists = (p: string) =>
  stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
const text = (p: string) => readFile(p, 'utf8').catch(() => undefined);

/** A GPT-2-family folder (no Folio record in it): its files. */
async function gpt2Folder(dir: string): Promise<Gpt2Files | undefined> {
  const has = (f: string) => exists(path.join(dir, f));
  if ((await has('model.json')) || (await has('folio.json')) || !(await has('config.json')) || !(await has('model.safetensors'))) return undefined;
  const bytes = await readFile(path.join(dir, 'model.safetensors'));
  const [tokenizer, vocab, merges] = await Promise.all(['tokenizer.json', 'vocab.json', 'merges.txt'].map((f) => text(path.join(dir, f))));
  return {
    config: (await text(path.join(dir, 'config.json')))!,
    safetensors: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    ...(tokenizer !== undefined ? { tokenizer } : {}),
    ...(vocab !== undefined ? { vocab } : {}),
    ...(merges !== undefined ? { merges } : {}),
  };
}

/** A Hub repo's files: from the cache folder, downloading what it lacks (progress on stderr). */
export async function hubFiles(repo: string, env: NodeJS.ProcessEnv = process.env): Promise<Gpt2Files> {
  const o = {
    fetch: globalThis.fetch,
    cache: folderCache(),
    endpoint: env.FOLIO_HUB_ENDPOINT || env.HF_ENDPOINT || HUB_ENDPOINT,
    offline: env.HF_HUB_OFFLINE === '1',
  };
  const plan = await planHub(repo, o);
  if (plan.downloadBytes > 0) process.stderr.write(`downloading ${repo}: ${(plan.downloadBytes / 1024 ** 2).toFixed(1)} MB\n`);
  let shown = 0;
  return downloadHub(plan, o, (done, total) => {
    const pct = Math.floor((100 * done) / Math.max(1, total));
    if (pct >= shown + 10) process.stderr.write(`  ${(shown = pct)}%\n`);
  });
}

/** Load the model `--checkpoint` or `--hub` names (exactly one of them). */
export async function loadModelSource(flags: Flags, usage: string): Promise<ModelSource> {
  const dir = flags.get('checkpoint');
  const repo = flags.get('hub');
  if ((dir === undefined) === (repo === undefined)) throw new UsageError(`Give either --checkpoint DIR or --hub REPO. ${usage}`);
  const files = repo !== undefined ? await hubFiles(repo) : await gpt2Folder(dir!);
  if (files) {
    const parts = readGpt2(files);
    const { values: _, ...gpt2 } = parts; // the file's bytes are not kept: the tensors hold their own copies
    return { ...gpt2Model(parts), gpt2, name: repo ?? dir! };
  }
  const { meta, model, tokenizer, optimizerState } = await loadCheckpoint(fileHandler(dir!));
  for (const t of Object.values(optimizerState ?? {})) t.dispose();
  return { model, tokenizer, meta, name: dir! };
}
