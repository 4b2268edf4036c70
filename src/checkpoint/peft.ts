/**
 * LoRA adapters in PEFT's format (Hugging Face's `peft` library), so Python can load what
 * the tab trained with `PeftModel.from_pretrained(gpt2, folder)`, and Folio can load
 * adapters trained there: `adapter_config.json` + `adapter_model.safetensors`.
 *
 * PEFT's conventions for GPT-2 (whose projections are transformers' Conv1D, weight (in, out)):
 * `fan_in_fan_out: true`; per adapted module `base_model.model.transformer.h.{i}.attn.c_attn`
 * two tensors, `….lora_A.weight` (r, in) and `….lora_B.weight` (out, r) — nn.Linear's
 * layout, so each is the transpose of Folio's a (in, r) and b (r, out); the update is
 * (lora_alpha / r)·(B·A)ᵀ, Folio's scale·a·b. `target_modules` are suffixes of module
 * names: `c_proj` alone names both the attention's and the MLP's.
 *
 * Reading checks everything before a tensor is made (the header tiles its data, every
 * tensor is there with its shape) and refuses what Folio cannot apply exactly — DoRA,
 * trained biases, per-layer ranks, extra saved modules — with a message naming the file.
 * Not here: the adapters themselves (model/lora.ts) or where the files go (CLI, page).
 */
import type { GPT } from '../model/gpt';
import { adapted, addLora, LORA_TARGETS, loraConfigProblem, TARGET_PATH, targetLinear, type LoraConfig, type LoraTarget, type LoraValues } from '../model/lora';
import { fileBad, parseJsonObject } from './hfByteBpe';
import { encodeSafetensors, readHeader, tensorF32, type F32Tensor } from './safetensors';

export const PEFT_CONFIG = 'adapter_config.json';
export const PEFT_WEIGHTS = 'adapter_model.safetensors';

/** A PEFT adapter folder's two files. */
export interface PeftFiles {
  config: string;
  safetensors: Uint8Array;
}

const PREFIXES = ['base_model.model.transformer.', 'base_model.model.'];

/** PEFT's name of one adapter tensor (GPT2LMHeadModel's module path). */
export const peftTensorName = (layer: number, target: LoraTarget, which: 'A' | 'B', prefix = PREFIXES[0]!) =>
  `${prefix}h.${layer}.${TARGET_PATH[target]}.lora_${which}.weight`;

/** (rows, cols) row-major → its transpose. */
function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j]!;
  return out;
}

/** PEFT's target_modules for Folio's targets (both c_proj as one `c_proj`, as PEFT users write it). */
function targetModules(targets: readonly LoraTarget[]): string[] {
  const both = targets.includes('attn.c_proj') && targets.includes('mlp.c_proj');
  return LORA_TARGETS.filter((t) => targets.includes(t) && !(both && t === 'mlp.c_proj')).map((t) => (both && t === 'attn.c_proj' ? 'c_proj' : t));
}

/** The adapter_config.json PEFT writes for a LoRA on GPT-2 (its fields, so `LoraConfig.from_pretrained` reads it as its own). */
export function peftConfigJson(c: LoraConfig, base: string): Record<string, unknown> {
  return {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: base,
    r: c.r,
    lora_alpha: c.alpha,
    target_modules: targetModules(c.targets),
    lora_dropout: 0,
    fan_in_fan_out: true,
    bias: 'none',
    use_rslora: false,
    use_dora: false,
    init_lora_weights: true,
    inference_mode: true,
    modules_to_save: null,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
    revision: null,
  };
}

/** A model's adapters as PEFT's two files. `base`: the base model's repo or folder (PEFT records it). */
export async function toPeft(model: GPT, base: string): Promise<PeftFiles> {
  if (!model.lora) throw new Error('This model has no LoRA adapters to save.');
  const r = model.lora.config.r;
  const tensors: [string, F32Tensor][] = [];
  for (const { layer, target, linear } of adapted(model)) {
    const [nIn, nOut] = linear.w.shape as [number, number];
    const [a, b] = [(await linear.lora.a.data()) as Float32Array, (await linear.lora.b.data()) as Float32Array];
    tensors.push([peftTensorName(layer, target, 'A'), { shape: [r, nIn], data: transpose(a, nIn, r) }]);
    tensors.push([peftTensorName(layer, target, 'B'), { shape: [nOut, r], data: transpose(b, r, nOut) }]);
  }
  return { config: JSON.stringify(peftConfigJson(model.lora.config, base), null, 2) + '\n', safetensors: encodeSafetensors(tensors, { format: 'pt' }) };
}

const empty = (v: unknown) =>
  v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && Object.keys(v as object).length === 0);

/** adapter_config.json → Folio's LoRA config and the base it names (throws `fileBad` for what Folio cannot apply). */
export function readPeftConfig(text: string): { config: LoraConfig; base?: string } {
  const c = parseJsonObject(text, PEFT_CONFIG, 1024 ** 2);
  const refuse = (at: string) => fileBad(PEFT_CONFIG, 'adapter', at);
  if (c.peft_type !== 'LORA') throw refuse('peft_type');
  if (c.use_dora === true) throw refuse('use_dora');
  if (c.bias !== undefined && c.bias !== 'none') throw refuse('bias');
  for (const k of ['modules_to_save', 'layers_to_transform', 'rank_pattern', 'alpha_pattern']) if (!empty(c[k])) throw refuse(k);
  if (!Array.isArray(c.target_modules)) throw refuse('target_modules'); // a string is a regular expression in PEFT: not read
  const targets = new Set<LoraTarget>();
  for (const m of c.target_modules) {
    if (m === 'c_proj') ['attn.c_proj', 'mlp.c_proj'].forEach((t) => targets.add(t as LoraTarget));
    else if (LORA_TARGETS.includes(m as LoraTarget)) targets.add(m as LoraTarget);
    else throw refuse(`target_modules: ${String(m).slice(0, 40)}`);
  }
  const r = c.r;
  const alpha = c.lora_alpha ?? 8; // PEFT's default
  if (typeof r !== 'number' || typeof alpha !== 'number') throw refuse(typeof r !== 'number' ? 'r' : 'lora_alpha');
  // rsLoRA scales by α/√r: the same update as plain LoRA with α·√r.
  const config: LoraConfig = { r, alpha: c.use_rslora === true ? alpha * Math.sqrt(r) : alpha, targets: LORA_TARGETS.filter((t) => targets.has(t)) };
  const problem = loraConfigProblem(config);
  if (problem) throw refuse(problem);
  return { config, ...(typeof c.base_model_name_or_path === 'string' ? { base: c.base_model_name_or_path } : {}) };
}

/**
 * Read PEFT files against the model they adapt: the config, and each adapter's values in
 * Folio's layout. Every tensor's presence, format and shape is checked before any is read.
 */
export function readPeft(files: PeftFiles, model: GPT): { config: LoraConfig; base?: string; values: LoraValues } {
  const { config, base } = readPeftConfig(files.config);
  if (config.r > model.config.nEmbd) throw fileBad(PEFT_CONFIG, 'adapter', 'r');
  const h = readHeader(files.safetensors);
  const prefix = PREFIXES.find((p) => peftTensorName(0, config.targets[0]!, 'A', p) in h.header) ?? PREFIXES[0]!;
  const where = new Map<string, { name: string; rows: number; cols: number }>();
  for (let l = 0; l < model.config.nLayer; l++) {
    for (const target of config.targets) {
      const [nIn, nOut] = targetLinear(model, l, target).w.shape as [number, number];
      for (const [which, rows, cols] of [
        ['A', config.r, nIn],
        ['B', nOut, config.r],
      ] as const) {
        const name = peftTensorName(l, target, which, prefix);
        const e = h.header[name];
        if (!e) throw fileBad(PEFT_WEIGHTS, 'missing', name);
        if (!['F32', 'F16', 'BF16'].includes(e.dtype)) throw fileBad(PEFT_WEIGHTS, 'dtype', `${name}: ${e.dtype}`);
        if (e.shape.length !== 2 || e.shape[0] !== rows || e.shape[1] !== cols)
          throw fileBad(PEFT_WEIGHTS, 'shape', `${name} [${e.shape}] ≠ [${rows},${cols}]`);
        where.set(`${l}.${target}.${which}`, { name, rows, cols });
      }
    }
  }
  const read = (l: number, target: LoraTarget, which: 'A' | 'B') => {
    const w = where.get(`${l}.${target}.${which}`)!;
    return transpose(tensorF32(files.safetensors, h, w.name), w.rows, w.cols);
  };
  return { config, ...(base !== undefined ? { base } : {}), values: (l, target) => ({ a: read(l, target, 'A'), b: read(l, target, 'B') }) };
}

/** Put PEFT adapters on a model (which has none yet). A file that fails leaves the model as it was. */
export function applyPeft(model: GPT, files: PeftFiles): { config: LoraConfig; base?: string } {
  const { values, ...read } = readPeft(files, model);
  addLora(model, read.config, 0, values);
  return read;
}
