/**
 * The CLI's LoRA options and folders: `--lora R [--lora-alpha A] [--lora-targets c_attn,c_fc]`
 * as a LoRA config (α defaults to 2R, the targets to c_attn — model/lora.ts's defaults),
 * a PEFT adapter folder read (`--adapter DIR`), and a folder of files written. The adapters
 * and PEFT's format themselves live in model/lora.ts and checkpoint/peft.ts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PEFT_CONFIG, PEFT_WEIGHTS, type PeftFiles } from '../checkpoint/peft';
import { noticeText } from '../i18n';
import { LORA_DEFAULTS, LORA_TARGETS, type LoraConfig, type LoraTarget } from '../model/lora';
import { UsageError, type Flags } from './args';

export const LORA_FLAGS = ['lora', 'lora-alpha', 'lora-targets'] as const;

/** The LoRA config the flags ask for, or undefined without --lora. */
export function loraFlags(flags: Flags): LoraConfig | undefined {
  const rank = flags.get('lora');
  if (rank === undefined) {
    if (flags.has('lora-alpha') || flags.has('lora-targets')) throw new UsageError('--lora-alpha and --lora-targets need --lora R.');
    return undefined;
  }
  const r = Number(rank);
  if (!Number.isInteger(r) || r < 1 || r > 256) throw new UsageError(noticeText('en', { code: 'loraRank', params: { got: rank } }));
  const alphaText = flags.get('lora-alpha');
  const alpha = alphaText === undefined ? 2 * r : Number(alphaText);
  if (!Number.isFinite(alpha) || alpha <= 0) throw new UsageError(`--lora-alpha must be a positive number (got "${alphaText}").`);
  const targets = new Set<LoraTarget>();
  for (const t of (flags.get('lora-targets') ?? LORA_DEFAULTS.targets.join(',')).split(',').map((s) => s.trim())) {
    if (t === 'c_proj') ['attn.c_proj', 'mlp.c_proj'].forEach((x) => targets.add(x as LoraTarget));
    else if (LORA_TARGETS.includes(t as LoraTarget)) targets.add(t as LoraTarget);
    else throw new UsageError(noticeText('en', { code: 'loraTargets', params: { got: t } }));
  }
  return { r, alpha, targets: LORA_TARGETS.filter((t) => targets.has(t)) };
}

/** A PEFT adapter folder's two files. */
export async function readPeftFolder(dir: string): Promise<PeftFiles> {
  const read = async (f: string) => {
    try {
      return await readFile(path.join(dir, f));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(
        code === 'ENOENT' ? `${path.join(dir, f)} not found: an adapter folder holds ${PEFT_CONFIG} and ${PEFT_WEIGHTS}.` : `Cannot read ${f} (${code}).`,
      );
    }
  };
  // One after the other: a folder missing both is said by its config (read together, the message named whichever failed first).
  const config = await read(PEFT_CONFIG);
  const weights = await read(PEFT_WEIGHTS);
  return { config: config.toString('utf8'), safetensors: new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength) };
}

/** Write files into a folder (made if missing); returns their paths. */
export async function writeFolder(dir: string, files: Record<string, string | Uint8Array>): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const out: string[] = [];
  for (const [name, data] of Object.entries(files)) {
    await writeFile(path.join(dir, name), data);
    out.push(path.join(dir, name));
  }
  return out;
}
