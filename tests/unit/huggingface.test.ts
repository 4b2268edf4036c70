/**
 * Export to a Hugging Face GPT-2 folder and back: identical logits and tokenizer for every
 * tokenizer kind, a safetensors file that follows the spec (header length, padding,
 * F32, contiguous offsets, GPT-2's names and Conv1D shapes), the config transformers
 * reads, a tokenizer.json whose regexes split as Folio does, and the CLI.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, loadCheckpoint, memoryFilesHandler, saveCheckpoint, type ArtifactFiles } from '../../src/checkpoint/checkpoint';
import { BPE_CHUNK_PATTERN, fromHfTokenizer, toHfTokenizer, WORD_PIECE_PATTERN } from '../../src/checkpoint/hfTokenizer';
import { hfZip } from '../../src/checkpoint/hfZip';
import { folioNames, fromHuggingFace, hfName, toHuggingFace } from '../../src/checkpoint/huggingface';
import { decodeSafetensors, encodeSafetensors, readHeader } from '../../src/checkpoint/safetensors';
import { createGPT, disposeGPT, forward, type GPT } from '../../src/model/gpt';
import { buildTokenizer, type Tokenizer, type TokenizerKind } from '../../src/tokenizer';
import { splitChunks } from '../../src/tokenizer/bpe';
import { splitWords } from '../../src/tokenizer/word';
import { createBridge } from '../../src/state/bridge';
import { useFolio } from '../../src/state/store';
import type { CheckpointFiles, FromWorker, ToWorker } from '../../src/worker/protocol';
import { backend, readCorpus, root, tinyConfig, tinyTrain } from '../helpers';
import { tempDir } from '../tempDir';

beforeAll(() => backend('cpu'));
/** Made at the top level: a hook registered inside a test would never run, and the folder would stay. */
const hfTmp = tempDir('hf');

const text = readCorpus('fox.txt').slice(0, 12_000);
const PROMPT = 'The quick brown fox jumps over the lazy';

const logitsOf = (m: GPT, tok: Tokenizer) =>
  tf.tidy(() => Array.from(forward(m, tf.tensor2d([tok.encode(PROMPT).slice(-m.config.blockSize)], undefined, 'int32')).logits.dataSync()));

async function saved(kind: TokenizerKind, seed = 5): Promise<{ files: ArtifactFiles; model: GPT; tok: Tokenizer }> {
  const tok = buildTokenizer(text, { kind, vocabSize: kind === 'bpe' ? 90 : 120 });
  const model = createGPT(tinyConfig(tok.vocabSize, { nLayer: 2 }), seed);
  const h = memoryFilesHandler();
  await saveCheckpoint(h, { model, tokenizer: tok, train: tinyTrain(), step: 7, extra: { corpus: 'fox.txt' } });
  return { files: h.files!, model, tok };
}

describe('Hugging Face export', () => {
  it.each(['char', 'bpe', 'word'] as const)('%s: export → import gives identical logits, tokenizer, step and extras', async (kind) => {
    const { files, model, tok } = await saved(kind);
    const before = tf.memory().numTensors;
    const back = await loadCheckpoint(memoryFilesHandler(fromHuggingFace(toHuggingFace(files))));
    expect(logitsOf(back.model, back.tokenizer)).toEqual(logitsOf(model, tok));
    expect(back.tokenizer.toJSON()).toEqual(tok.toJSON());
    expect(back.meta.step).toBe(7);
    expect(back.meta.extra).toEqual({ corpus: 'fox.txt' });
    expect(back.optimizerState).toBeUndefined(); // the moments are not exported
    disposeGPT(back.model);
    expect(tf.memory().numTensors).toBe(before);

    // Without folio.json the tokenizer comes back from tokenizer.json, the weights the same.
    const { folio: _, ...plain } = toHuggingFace(files);
    const bare = await loadCheckpoint(memoryFilesHandler(fromHuggingFace(plain)));
    expect(bare.tokenizer.toJSON()).toEqual(tok.toJSON());
    expect(logitsOf(bare.model, bare.tokenizer)).toEqual(logitsOf(model, tok));
    disposeGPT(bare.model);
    disposeGPT(model);
  });

  it('kmer: export → import gives identical logits; overlapping and tiled k-mers also read back from tokenizer.json alone', async () => {
    const dna = readCorpus('dna.txt').slice(0, 6000);
    for (const overlap of [true, false]) {
      const tok = buildTokenizer(dna, { kind: 'kmer', vocabSize: 0, k: 3, overlap });
      const model = createGPT(tinyConfig(tok.vocabSize, { nLayer: 1 }), 3);
      const h = memoryFilesHandler();
      await saveCheckpoint(h, { model, tokenizer: tok, train: tinyTrain(), step: 2 });
      const hf = toHuggingFace(h.files!);
      const back = await loadCheckpoint(memoryFilesHandler(fromHuggingFace(hf)));
      expect(back.tokenizer.toJSON()).toEqual(tok.toJSON()); // folio.json keeps the exact tokenizer
      expect(logitsOf(back.model, back.tokenizer)).toEqual(logitsOf(model, tok));
      const { folio: _, ...plain } = hf;
      const bare = await loadCheckpoint(memoryFilesHandler(fromHuggingFace(plain)));
      // tokenizer.json says which: its normalizer spells overlapping k-mers out (hfKmer.ts).
      expect(bare.tokenizer.toJSON()).toEqual(tok.toJSON());
      for (const m of [back.model, bare.model, model]) disposeGPT(m);
    }
  });

  it('model.safetensors follows the spec: u64 LE header length, padded JSON header, F32, contiguous offsets, GPT-2 names and (in, out) shapes', async () => {
    const { files, model } = await saved('char');
    const hf = toHuggingFace(files);
    const bytes = hf.safetensors;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = Number(view.getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0); // the buffer starts 8-byte aligned
    const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(headerText.startsWith('{')).toBe(true);
    expect(headerText.trimEnd().endsWith('}')).toBe(true); // only spaces pad it
    const header = JSON.parse(headerText) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
    expect(header.__metadata__).toEqual({ format: 'pt', folio_step: '7' });
    delete header.__metadata__;

    const { nEmbd: C, vocabSize: V, blockSize: T, nLayer } = model.config;
    const expected: Record<string, number[]> = {
      'transformer.wte.weight': [V, C],
      'transformer.wpe.weight': [T, C],
      'transformer.ln_f.weight': [C],
      'transformer.ln_f.bias': [C],
    };
    for (let i = 0; i < nLayer; i++) {
      const h = `transformer.h.${i}`;
      Object.assign(expected, {
        [`${h}.ln_1.weight`]: [C],
        [`${h}.ln_1.bias`]: [C],
        [`${h}.ln_2.weight`]: [C],
        [`${h}.ln_2.bias`]: [C],
        [`${h}.attn.c_attn.weight`]: [C, 3 * C],
        [`${h}.attn.c_attn.bias`]: [3 * C],
        [`${h}.attn.c_proj.weight`]: [C, C],
        [`${h}.attn.c_proj.bias`]: [C],
        [`${h}.mlp.c_fc.weight`]: [C, 4 * C],
        [`${h}.mlp.c_fc.bias`]: [4 * C],
        [`${h}.mlp.c_proj.weight`]: [4 * C, C],
        [`${h}.mlp.c_proj.bias`]: [C],
      });
    }
    expect(Object.fromEntries(Object.entries(header).map(([k, e]) => [k, e.shape]))).toEqual(expected); // no lm_head.weight: tied
    const entries = Object.values(header).sort((a, b) => a.data_offsets[0] - b.data_offsets[0]);
    let at = 0;
    for (const e of entries) {
      expect(e.dtype).toBe('F32');
      expect(e.data_offsets[0]).toBe(at);
      expect(e.data_offsets[1] - e.data_offsets[0]).toBe(e.shape.reduce((a, b) => a * b, 1) * 4);
      at = e.data_offsets[1];
    }
    expect(8 + n + at).toBe(bytes.byteLength);

    // The data is the model's, little-endian, row-major: c_attn of block 1 read by hand.
    const e = header['transformer.h.1.attn.c_attn.weight']!;
    const w = model.params.h[1]!.attn.cAttn.w.dataSync();
    for (const i of [0, 1, 3 * C, w.length - 1]) expect(view.getFloat32(8 + n + e.data_offsets[0] + 4 * i, true)).toBe(w[i]);
    disposeGPT(model);
  });

  it('the safetensors reader refuses what the spec forbids', () => {
    const good = encodeSafetensors([
      ['a', { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) }],
      ['b', { shape: [1], data: new Float32Array([5]) }],
    ]);
    expect([...decodeSafetensors(good).tensors.get('a')!.data]).toEqual([1, 2, 3, 4]);
    const withHeader = (h: object, dataBytes: number) => {
      const json = new TextEncoder().encode(JSON.stringify(h));
      const out = new Uint8Array(8 + json.length + dataBytes);
      new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
      out.set(json, 8);
      return out;
    };
    const cases = [
      good.subarray(0, 5), // shorter than the length field
      good.subarray(0, good.length - 4), // truncated buffer
      withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12), // gap at the start
      withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8), // overlap
      withHeader({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8), // size ≠ shape
      withHeader({ a: { dtype: 'I32', shape: [2], data_offsets: [0, 8] } }, 8), // not a float (F32, F16, BF16)
      withHeader({ __metadata__: { x: 1 } }, 0), // metadata values must be strings
    ];
    for (const c of cases) expect(() => decodeSafetensors(c)).toThrow(CheckpointError);
    expect(readHeader(withHeader({ a: { dtype: 'F16', shape: [4], data_offsets: [0, 8] } }, 8)).header.a!.dtype).toBe('F16'); // the header itself is fine
  });

  it('config.json is a GPT-2 config that matches Folio (gelu_new, eps 1e-5, tied head, no out-of-range special ids)', async () => {
    const { files, model } = await saved('char');
    const c = JSON.parse(toHuggingFace(files).config);
    const m = model.config;
    expect(c).toMatchObject({
      model_type: 'gpt2',
      architectures: ['GPT2LMHeadModel'],
      n_embd: m.nEmbd,
      n_layer: m.nLayer,
      n_head: m.nHead,
      n_positions: m.blockSize,
      vocab_size: m.vocabSize,
    });
    expect(c).toMatchObject({
      activation_function: 'gelu_new',
      layer_norm_epsilon: 1e-5,
      tie_word_embeddings: true,
      n_inner: null,
      bos_token_id: null,
      eos_token_id: null,
    });
    expect(fromHuggingFace.bind(null, { ...toHuggingFace(files), config: JSON.stringify({ ...c, model_type: 'llama' }) })).toThrow(CheckpointError);
    expect(folioNames(m.nLayer).map(hfName)).toContain('transformer.h.1.mlp.c_proj.bias');
    disposeGPT(model);
  });

  it("tokenizer.json's split regexes cut text as Folio's tokenizers do, and each kind reads back", () => {
    const sample = `${text.slice(0, 2000)} 3.14 — Olá, ação!\n\n  dois  espaços\tfim`;
    const cut = (pattern: string) => sample.match(new RegExp(pattern, 'gu'));
    expect(cut(BPE_CHUNK_PATTERN)).toEqual(splitChunks(sample));
    expect(cut(WORD_PIECE_PATTERN)).toEqual(splitWords(sample));
    for (const kind of ['char', 'bpe', 'word'] as const) {
      const json = buildTokenizer(text, { kind, vocabSize: 100 }).toJSON();
      const hf = JSON.parse(JSON.stringify(toHfTokenizer(json)));
      expect(hf.model.type).toBe(kind === 'word' ? 'WordLevel' : 'BPE');
      expect(hf.decoder).toEqual({ type: 'Fuse' });
      expect(fromHfTokenizer(hf)).toEqual(json);
    }
  });

  it('npm run export writes the folder; predict reads it and ranks the same words as the checkpoint', () => {
    const out = path.join(hfTmp, 'fox-hf');
    // As `npm run` starts them (package.json's node flags; the tsx binary would start a second node process each time).
    const cli = (script: string, args: string[]) =>
      spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', path.join(root, 'src', 'cli', script), ...args], {
        cwd: root,
        encoding: 'utf8',
        timeout: 120_000,
      });
    const e = cli('export.ts', ['--checkpoint', 'corpus/pretrained/fox-nano', '--format', 'hf', '--out', out]);
    expect(e.stderr).toBe('');
    expect(e.status).toBe(0);
    expect(JSON.parse(e.stdout)).toMatchObject({
      format: 'hf',
      files: ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'folio.json', 'README.md'],
    });
    expect(readdirSync(out).sort()).toEqual(['README.md', 'config.json', 'folio.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    expect(JSON.parse(readFileSync(path.join(out, 'tokenizer_config.json'), 'utf8')).tokenizer_class).toBe('PreTrainedTokenizerFast');
    const ask = (dir: string) => JSON.parse(cli('predict.ts', ['--checkpoint', dir, '--prompt', PROMPT, '--top', '3', '--backend', 'cpu']).stdout);
    expect(ask(out)).toEqual(ask('corpus/pretrained/fox-nano'));
    const badFormat = cli('export.ts', ['--checkpoint', 'corpus/pretrained/fox-nano', '--format', 'onnx', '--out', out]);
    expect(badFormat.status).toBe(2);
    expect(badFormat.stderr).toMatch(/^error: --format must be one of hf/);
  });

  it("the page's bridge: Save for Python / Hugging Face downloads as 'hf'; Load from files turns the folder into a checkpoint load", async () => {
    const sent: ToWorker[] = [];
    let hear: (m: FromWorker) => void = () => undefined;
    let n = 1;
    const downloads: { base: string; format?: string }[] = [];
    const { commands } = createBridge({
      connect: (l) => ((hear = l), { id: () => n++, send: (m: ToWorker) => void sent.push(m), restart: () => undefined }),
      download: (_f: CheckpointFiles, base: string, format?: 'hf') => void downloads.push({ base, ...(format ? { format } : {}) }),
    });
    const { files, model } = await saved('char');
    commands.checkpoints.exportHuggingFace();
    const save = sent.at(-1) as Extract<ToWorker, { type: 'save' }>;
    expect(save.target).toEqual({ kind: 'export' });
    hear({ type: 'answer', kind: 'save', requestId: save.requestId, modelId: 'm1', step: 7, files });
    await Promise.resolve(); // the ask settles in a microtask
    expect(downloads).toEqual([{ base: expect.stringContaining('step7'), format: 'hf' }]);

    const hf = toHuggingFace(files);
    const asFiles = [
      new File([hf.config], 'config.json'),
      new File([hf.safetensors as BlobPart], 'model.safetensors'),
      new File([hf.tokenizer!], 'tokenizer.json'),
      new File([hf.folio!], 'folio.json'),
    ];
    await commands.checkpoints.importCheckpoint(asFiles);
    const load = sent.at(-1) as Extract<ToWorker, { type: 'load' }>;
    expect(load.type).toBe('load');
    expect(load.source.origin).toBe('loaded'); // a person's files: the page keys the run it starts by this
    if (load.source.kind !== 'files') throw new Error('expected files');
    const back = await loadCheckpoint(memoryFilesHandler(load.source.files));
    expect(logitsOf(back.model, back.tokenizer)).toEqual(logitsOf(model, back.tokenizer));
    disposeGPT(back.model);

    // The page's one download, the .zip, loads back the same.
    await commands.checkpoints.importCheckpoint([new File(hfZip(hf, 'folio-hf') as BlobPart[], 'folio-hf.zip')]);
    const fromZip = sent.at(-1) as Extract<ToWorker, { type: 'load' }>;
    if (fromZip.source.kind !== 'files') throw new Error('expected files');
    const zipped = await loadCheckpoint(memoryFilesHandler(fromZip.source.files));
    expect(logitsOf(zipped.model, zipped.tokenizer)).toEqual(logitsOf(model, zipped.tokenizer));
    disposeGPT(zipped.model);

    const before = sent.length;
    await commands.checkpoints.importCheckpoint(asFiles.slice(1)); // no config.json
    expect(sent.length).toBe(before);
    expect(useFolio.getState().error?.notice).toEqual({ code: 'hfMissingFile', params: { name: 'config.json' } });
    disposeGPT(model);
  });
});
