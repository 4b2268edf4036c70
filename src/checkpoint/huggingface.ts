/**
 * A Folio checkpoint as a Hugging Face GPT-2 folder, and back.
 *
 * Folio's model is GPT-2's architecture (after nanoGPT): learned positions, pre-norm
 * blocks, LayerNorm with gain and bias and eps 1e-5, GELU's tanh approximation
 * (`gelu_new`), attention scaled by 1/√(head size), biases on every linear layer, and the
 * output head tied to the token embedding. Its linear weights are already stored
 * (in, out), which is the layout of GPT-2's Conv1D, and its fused q,k,v product splits in
 * the same order (q, then k, then v, each head after head). So the export renames, it
 * does not transpose:
 *
 *   wte → transformer.wte.weight          wpe → transformer.wpe.weight
 *   h.i.ln1.{g,b} → transformer.h.i.ln_1.{weight,bias}   (ln2 → ln_2, lnF → transformer.ln_f)
 *   h.i.attn.cAttn.{w,b} → transformer.h.i.attn.c_attn.{weight,bias}   (cProj → c_proj)
 *   h.i.mlp.cFc.{w,b} → transformer.h.i.mlp.c_fc.{weight,bias}         (cProj → c_proj)
 *
 * `lm_head.weight` is not written: like `save_pretrained` for GPT2LMHeadModel, the file
 * holds the shared matrix once and config.json says `tie_word_embeddings: true`, so
 * transformers ties the head to `transformer.wte.weight` on load.
 *
 * The folder: config.json, model.safetensors, tokenizer.json (+ tokenizer_config.json
 * naming the fast tokenizer class), folio.json — Folio's own record of the checkpoint
 * (tokenizer, training settings, step, session) so that importing the folder gives back
 * the same model in the page — and README.md, the Python that loads it (hfReadme.ts).
 * The optimizer's moments are not exported. hfZip.ts packs the folder in one .zip.
 */
import * as tf from '@tensorflow/tfjs';
import { TRAIN_PRESETS } from '../config';
import { notice, type Lang } from '../i18n';
import type { TokenizerJSON } from '../tokenizer';
import {
  artifactsToFiles,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  CheckpointError,
  filesToArtifacts,
  type ArtifactFiles,
  type CheckpointMeta,
} from './checkpoint';
import { hfReadme } from './hfReadme';
import { fromHfTokenizer, toHfTokenizer } from './hfTokenizer';
import { decodeSafetensors, encodeSafetensors, type F32Tensor } from './safetensors';

/**
 * The files of an exported folder (tokenizer files, folio.json and the README optional on
 * import). `vocab` + `merges`: a pretrained GPT-2's older tokenizer pair, written back as it
 * came when that is what the model came with (gpt2.ts gpt2FolderFiles); Folio's own export
 * never has them.
 */
export interface HfFiles {
  config: string;
  safetensors: Uint8Array;
  tokenizer?: string;
  tokenizerConfig?: string;
  folio?: string;
  readme?: string;
  vocab?: string;
  merges?: string;
}

export const HF_FILES: Record<keyof HfFiles, string> = {
  config: 'config.json',
  safetensors: 'model.safetensors',
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  folio: 'folio.json',
  readme: 'README.md',
  vocab: 'vocab.json',
  merges: 'merges.txt',
};

/** How the README names and shows the export: the folder's name, its language, the prompt of its Python. */
export interface HfExportOptions {
  folder?: string;
  lang?: Lang;
  prompt?: string;
}

const PARTS: Record<string, string> = {
  ln1: 'ln_1',
  ln2: 'ln_2',
  cAttn: 'c_attn',
  cProj: 'c_proj',
  cFc: 'c_fc',
  lnF: 'ln_f',
  g: 'weight',
  b: 'bias',
  w: 'weight',
};

/** GPT-2's name for one of Folio's parameters (see the table above). */
export function hfName(folio: string): string {
  const parts = folio.split('.').map((p) => PARTS[p] ?? p);
  if (folio === 'wte' || folio === 'wpe') parts.push('weight');
  return `transformer.${parts.join('.')}`;
}

const bad = (reason: string) => new CheckpointError(notice('hfInvalid', { reason }));

/** config.json for transformers' GPT2Config. */
export function hfConfig(meta: CheckpointMeta): Record<string, unknown> {
  const m = meta.model;
  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    vocab_size: m.vocabSize,
    n_positions: m.blockSize,
    n_ctx: m.blockSize,
    n_embd: m.nEmbd,
    n_layer: m.nLayer,
    n_head: m.nHead,
    n_inner: null, // 4 · n_embd, as Folio's MLP
    activation_function: 'gelu_new', // the tanh approximation Folio uses
    resid_pdrop: m.dropout,
    embd_pdrop: m.dropout,
    attn_pdrop: m.dropout,
    layer_norm_epsilon: 1e-5,
    initializer_range: 0.02,
    scale_attn_weights: true,
    scale_attn_by_inverse_layer_idx: false,
    reorder_and_upcast_attn: false,
    tie_word_embeddings: true,
    // Folio's vocabularies have no end-of-text token: GPT-2's 50256 would be out of range.
    bos_token_id: null,
    eos_token_id: null,
    torch_dtype: 'float32',
    use_cache: true,
  };
}

/** The float32 parameters of a checkpoint's files, by Folio name, in the saved order. */
function paramsOf(files: ArtifactFiles): { meta: CheckpointMeta; params: [string, F32Tensor][] } {
  const a = filesToArtifacts(files);
  const meta = a.modelTopology as unknown as CheckpointMeta;
  if (meta?.format !== CHECKPOINT_FORMAT) throw new CheckpointError(notice('ckptNotFolio'));
  const buffer = tf.io.CompositeArrayBuffer.join(a.weightData);
  const params: [string, F32Tensor][] = [];
  let offset = 0;
  for (const s of a.weightSpecs ?? []) {
    const n = s.shape.reduce((x, y) => x * y, 1);
    if (s.dtype !== 'float32' || s.quantization) throw bad(`weight ${s.name} is not plain float32`);
    if (offset + n * 4 > buffer.byteLength) throw new CheckpointError(notice('ckptWeightsTruncated', { got: buffer.byteLength, expected: offset + n * 4 }));
    if (s.name.startsWith('param/')) params.push([s.name.slice(6), { shape: [...s.shape], data: new Float32Array(buffer.slice(offset, offset + n * 4)) }]);
    offset += n * 4;
  }
  return { meta, params };
}

/** A Folio checkpoint (model.json + weights.bin) as the files of a Hugging Face GPT-2 folder. */
export function toHuggingFace(files: ArtifactFiles, o: HfExportOptions = {}): HfFiles {
  const { meta, params } = paramsOf(files);
  const tensors = params.map(([name, t]): [string, F32Tensor] => [hfName(name), t]);
  const safetensors = encodeSafetensors(tensors, { format: 'pt', folio_step: String(meta.step) });
  const json = (x: unknown) => JSON.stringify(x, null, 2) + '\n';
  return {
    config: json(hfConfig(meta)),
    safetensors,
    tokenizer: json(toHfTokenizer(meta.tokenizer)),
    tokenizerConfig: json({ tokenizer_class: 'PreTrainedTokenizerFast', model_max_length: meta.model.blockSize, clean_up_tokenization_spaces: false }),
    folio: json({ ...meta, savedAt: meta.savedAt }),
    readme: hfReadme(meta, { folder: o.folder ?? 'folio-hf', lang: o.lang ?? 'en', ...(o.prompt !== undefined ? { prompt: o.prompt } : {}) }),
  };
}

const num = (c: Record<string, unknown>, k: string): number => {
  const v = c[k];
  if (!Number.isInteger(v) || (v as number) < 1) throw bad(`config.json's ${k} is not a whole number`);
  return v as number;
};

/** A Hugging Face GPT-2 folder (as written by toHuggingFace) as a Folio checkpoint's files. */
export function fromHuggingFace(hf: HfFiles): ArtifactFiles {
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(hf.config) as Record<string, unknown>;
  } catch {
    throw bad('config.json is not valid JSON');
  }
  if (config?.model_type !== 'gpt2') throw new CheckpointError(notice('hfNotGpt2', { type: String(config?.model_type) }));
  if (config.activation_function !== undefined && config.activation_function !== 'gelu_new')
    throw bad(`activation ${String(config.activation_function)} is not Folio's gelu_new`);
  if (config.tie_word_embeddings === false) throw bad('the output head is not tied to the embedding, as Folio needs');
  const model = {
    nLayer: num(config, 'n_layer'),
    nHead: num(config, 'n_head'),
    nEmbd: num(config, 'n_embd'),
    blockSize: num(config, 'n_positions'),
    vocabSize: num(config, 'vocab_size'),
    dropout: typeof config.resid_pdrop === 'number' ? config.resid_pdrop : 0,
  };
  const own = parseJson(hf.folio) as Partial<CheckpointMeta> | undefined;
  const folio = own?.format === CHECKPOINT_FORMAT && own.tokenizer ? (own as CheckpointMeta) : undefined;
  let tokenizer: TokenizerJSON;
  if (folio) tokenizer = folio.tokenizer;
  else if (hf.tokenizer) tokenizer = fromHfTokenizer(parseJson(hf.tokenizer));
  else throw new CheckpointError(notice('hfNoTokenizer'));
  const meta: CheckpointMeta = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    model,
    train: folio?.train ?? { ...TRAIN_PRESETS.nano },
    tokenizer,
    step: folio?.step ?? 0,
    optimizerStep: 0,
    ...(folio?.extra ? { extra: folio.extra } : {}),
    savedAt: folio?.savedAt ?? new Date().toISOString(),
  };

  const { tensors } = decodeSafetensors(hf.safetensors);
  const names = folioNames(model.nLayer);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Float32Array[] = [];
  for (const name of names) {
    const t = tensors.get(hfName(name)) ?? (name === 'wte' ? tensors.get('lm_head.weight') : undefined);
    if (!t) throw new CheckpointError(notice('ckptMissingWeight', { name: hfName(name) }));
    specs.push({ name: `param/${name}`, shape: t.shape, dtype: 'float32' });
    parts.push(t.data);
  }
  const weights = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    weights.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += p.byteLength;
  }
  return artifactsToFiles({
    modelTopology: meta as unknown as object,
    format: CHECKPOINT_FORMAT,
    generatedBy: 'Folio (from a Hugging Face folder)',
    weightSpecs: specs,
    weightData: weights.buffer,
  });
}

/** Folio's parameter names for a model of nLayer blocks (gpt.ts createGPT's order). */
export function folioNames(nLayer: number): string[] {
  const out = ['wte', 'wpe'];
  for (let l = 0; l < nLayer; l++) {
    const h = `h.${l}`;
    out.push(`${h}.ln1.g`, `${h}.ln1.b`, `${h}.attn.cAttn.w`, `${h}.attn.cAttn.b`, `${h}.attn.cProj.w`, `${h}.attn.cProj.b`);
    out.push(`${h}.ln2.g`, `${h}.ln2.b`, `${h}.mlp.cFc.w`, `${h}.mlp.cFc.b`, `${h}.mlp.cProj.w`, `${h}.mlp.cProj.b`);
  }
  out.push('lnF.g', 'lnF.b');
  return out;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw bad('a JSON file of the folder is not valid JSON');
  }
}
