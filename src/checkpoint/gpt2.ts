/**
 * A pretrained GPT-2-family model from its Hugging Face files — `config.json`,
 * `model.safetensors` and the tokenizer (`tokenizer.json`, or `vocab.json` + `merges.txt`) —
 * as Folio's GPT and GPT-2's tokenizer. openai-community/gpt2, distilbert/distilgpt2 and
 * their fine-tunes are this architecture, which is Folio's (huggingface.ts says why no
 * conversion is needed beyond names).
 *
 * Every file is checked before a tensor is made: config.json must describe GPT-2 (gelu_new,
 * LayerNorm ε 1e-5, the head tied, sizes in range); the safetensors header must tile its
 * data exactly (safetensors.ts), and each weight must have the shape config.json gives it —
 * so nothing is allocated that a header merely claims. Weights are F32, F16 or BF16 and
 * may be named with or without the `transformer.` prefix (the Hub's gpt2 has none; Folio's
 * export has it); buffers such as `h.0.attn.bias` (the causal mask) are not weights and are
 * skipped. A file that fails says which file and why, and nothing else changes.
 */
import * as tf from '@tensorflow/tfjs';
import { validateModelConfig, type SizedModelConfig } from '../config';
import { gptFromValues, type GPT } from '../model/gpt';
import { adapted, mergedWeight } from '../model/lora';
import { ByteBpeTokenizer, type TokenizerJSON } from '../tokenizer';
import { fileBad, byteBpeFromTokenizerJson, byteBpeFromVocabMerges, byteBpeToTokenizerJson, parseJsonObject } from './hfByteBpe';
import { folioNames, hfName, type HfFiles } from './huggingface';
import { readHeader, safetensorsFile, tensorF32, type DecodedSafetensors } from './safetensors';

/** A GPT-2 folder's files as they came (the weights as bytes). */
export interface Gpt2Files {
  config: string;
  safetensors: Uint8Array;
  tokenizer?: string;
  vocab?: string;
  merges?: string;
}

/** What the files make, checked: the config, the tokenizer, and where each weight lies. */
export interface Gpt2Parts {
  config: SizedModelConfig;
  tokenizer: TokenizerJSON;
  /** The weights' number format in the file (F32, F16, BF16; the first weight's). */
  dtype: string;
  /** Each Folio parameter's values (views on the file's bytes where they can be). */
  values: (name: string) => Float32Array;
  /** The file's own config.json, as an object (an export or a LoRA merge writes it back). */
  hfConfig: Record<string, unknown>;
  /** The tokenizer's files as they came, the one(s) read: tokenizer.json, else vocab.json + merges.txt (an export writes them back). */
  tokenizerFiles: Pick<Gpt2Files, 'tokenizer' | 'vocab' | 'merges'>;
}

/** What a full export of a GPT-2 writes besides its weights: its config.json, its tokenizer (and the files it came in, when kept). */
export type Gpt2Source = Pick<Gpt2Parts, 'hfConfig' | 'tokenizer'> & Partial<Pick<Gpt2Parts, 'tokenizerFiles'>>;

const MAX_VOCAB = 1 << 20;

/** config.json of a GPT-2 model as Folio's model config (throws `fileBad` when it is not one Folio runs). */
export function gpt2Config(text: string): { config: SizedModelConfig; hf: Record<string, unknown> } {
  const file = 'config.json';
  const c = parseJsonObject(text, file, 1024 ** 2);
  const gelu = c.activation_function === undefined || c.activation_function === 'gelu_new';
  const eps = c.layer_norm_epsilon === undefined || (typeof c.layer_norm_epsilon === 'number' && Math.abs(c.layer_norm_epsilon - 1e-5) < 1e-9);
  const plainAttention = c.scale_attn_weights !== false && c.scale_attn_by_inverse_layer_idx !== true;
  if (c.model_type !== 'gpt2' || !gelu || !eps || !plainAttention || c.tie_word_embeddings === false) throw fileBad(file, 'notGpt2');
  const int = (k: string, max: number) => {
    const v = c[k];
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > max) throw fileBad(file, 'configField', k);
    return v as number;
  };
  const config: SizedModelConfig = {
    nLayer: int('n_layer', 48),
    nHead: int('n_head', 64),
    nEmbd: int('n_embd', 4096),
    blockSize: int('n_positions', 4096),
    vocabSize: int('vocab_size', MAX_VOCAB),
    dropout: 0, // a pretrained model is shown and fine-tuned without dropout
  };
  if (c.n_inner !== undefined && c.n_inner !== null && c.n_inner !== 4 * config.nEmbd) throw fileBad(file, 'notGpt2', 'n_inner');
  if (validateModelConfig(config).length) throw fileBad(file, 'configField', 'n_head');
  return { config, hf: c };
}

/** The tokenizer of a GPT-2 folder: tokenizer.json, else vocab.json + merges.txt. */
export function gpt2Tokenizer(files: Pick<Gpt2Files, 'tokenizer' | 'vocab' | 'merges'>): TokenizerJSON {
  if (files.tokenizer !== undefined) return byteBpeFromTokenizerJson(files.tokenizer);
  if (files.vocab !== undefined && files.merges !== undefined) return byteBpeFromVocabMerges(files.vocab, files.merges);
  throw fileBad('tokenizer.json', 'missing');
}

/** Where each Folio parameter lies in a safetensors header: its GPT-2 name, with or without `transformer.`. */
export function gpt2WeightNames(header: DecodedSafetensors['header'], nLayer: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of folioNames(nLayer)) {
    const full = hfName(name);
    const bare = full.slice('transformer.'.length);
    const key = [full, bare, ...(name === 'wte' ? ['lm_head.weight'] : [])].find((k) => k in header);
    if (!key) throw fileBad('model.safetensors', 'missing', bare);
    out.set(name, key);
  }
  return out;
}

/** The shape of each Folio parameter for a config (gpt.ts createGPT's). */
export function paramShape(name: string, c: SizedModelConfig): number[] {
  const C = c.nEmbd;
  if (name === 'wte') return [c.vocabSize, C];
  if (name === 'wpe') return [c.blockSize, C];
  const part = name.split('.').slice(-2).join('.');
  const shapes: Record<string, number[]> = {
    'cAttn.w': [C, 3 * C],
    'cAttn.b': [3 * C],
    'cProj.w': name.includes('.mlp.') ? [4 * C, C] : [C, C],
    'cProj.b': [C],
    'cFc.w': [C, 4 * C],
    'cFc.b': [4 * C],
  };
  return shapes[part] ?? [C]; // LayerNorm gains and biases
}

/** Read and check a GPT-2 folder's files; nothing is allocated beyond the file's own bytes until `values` is called. */
export function readGpt2(files: Gpt2Files): Gpt2Parts {
  const { config, hf } = gpt2Config(files.config);
  const tokenizer = gpt2Tokenizer(files);
  if (tokenizer.vocab.length > config.vocabSize) throw fileBad('tokenizer.json', 'tooMany', `${tokenizer.vocab.length} > vocab_size ${config.vocabSize}`);
  const header = readHeader(files.safetensors);
  const names = gpt2WeightNames(header.header, config.nLayer);
  for (const [name, key] of names) {
    const e = header.header[key]!;
    const want = paramShape(name, config);
    if (e.shape.length !== want.length || e.shape.some((d, i) => d !== want[i])) throw fileBad('model.safetensors', 'shape', `${key} [${e.shape}] ≠ [${want}]`);
    if (!['F32', 'F16', 'BF16'].includes(e.dtype)) throw fileBad('model.safetensors', 'dtype', `${key}: ${e.dtype}`);
  }
  const dtype = header.header[names.get('wte')!]!.dtype;
  const tokenizerFiles = files.tokenizer !== undefined ? { tokenizer: files.tokenizer } : { vocab: files.vocab!, merges: files.merges! };
  return { config, tokenizer, dtype, hfConfig: hf, tokenizerFiles, values: (name) => tensorF32(files.safetensors, header, names.get(name)!) };
}

/** The model and tokenizer of checked parts. The file's bytes may be dropped afterwards: the tensors hold their own copies. */
export function gpt2Model(parts: Gpt2Parts): { model: GPT; tokenizer: ByteBpeTokenizer } {
  const tokenizer = ByteBpeTokenizer.fromJSON(parts.tokenizer);
  const model = gptFromValues(parts.config, (name) => parts.values(name));
  return { model, tokenizer };
}

/**
 * A GPT-2 folder for a model, as transformers' `GPT2LMHeadModel.from_pretrained` reads it and
 * as the Hub loader (readGpt2) reads it back: the base's own config.json, written back as it
 * came but for `torch_dtype` (the weights are F32 now); model.safetensors, F32, under
 * transformers' names (with `transformer.`; the head is the tied embedding, stored once);
 * the tokenizer files the model came with (tokenizer.json, or vocab.json + merges.txt), else
 * a tokenizer.json written from the tokenizer. The CLI's `--merge` and the page's "Download
 * merged model" both write this, so the two folders are alike.
 *
 * A model with LoRA adapters is written merged (w + scale·a·b), each adapted weight merged
 * into a temporary copy as it is written and freed: the model and its adapters are not
 * touched, and nothing but the file and one weight at a time is held (a 124 M model's
 * 500 MB are not copied whole on top of the file).
 */
export async function gpt2FolderFiles(model: GPT, source: Gpt2Source): Promise<HfFiles> {
  const merging = new Map(adapted(model).map(({ linear }) => [linear.w, linear] as const));
  const file = safetensorsFile(
    model.named.map((p) => [hfName(p.name), p.variable.shape]),
    { format: 'pt' },
  );
  for (const [i, p] of model.named.entries()) {
    const linear = merging.get(p.variable);
    const t = linear ? tf.tidy(() => mergedWeight(linear)) : p.variable;
    try {
      file.put(i, (await t.data()) as Float32Array);
    } finally {
      if (t !== p.variable) t.dispose();
    }
  }
  const kept = source.tokenizerFiles;
  const tokenizer =
    kept?.tokenizer !== undefined || (kept?.vocab !== undefined && kept.merges !== undefined)
      ? kept
      : { tokenizer: JSON.stringify(byteBpeToTokenizerJson(source.tokenizer)) };
  return { config: JSON.stringify({ ...source.hfConfig, torch_dtype: 'float32' }, null, 2) + '\n', safetensors: file.bytes, ...tokenizer };
}
