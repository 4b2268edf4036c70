/**
 * Hostile files lose nothing (issue 28, item 5), by property-based tests (fast-check): every
 * parser of outside bytes — a safetensors header and its offsets, GPT-2's config.json and
 * tokenizer.json, a PEFT adapter (config and weights), a whole GPT-2 folder, JSON Lines, a
 * shared `?exp=` link — given random or mutated input either reads it or throws Folio's own
 * error, whose message exists in English and Portuguese; none throws anything else, none
 * allocates what a header merely claims (a claimed size far beyond the file fails at once),
 * and a model an adapter file fails on is left as it was.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt2Config, readGpt2 } from '../../src/checkpoint/gpt2';
import { byteBpeFromTokenizerJson, byteBpeToTokenizerJson } from '../../src/checkpoint/hfByteBpe';
import { applyPeft, toPeft } from '../../src/checkpoint/peft';
import { encodeSafetensors, readHeader, tensorF32 } from '../../src/checkpoint/safetensors';
import { FolioError, noticeText } from '../../src/i18n';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { addLora } from '../../src/model/lora';
import { decodeShared } from '../../src/state/runShare';
import { parseJsonl } from '../../src/train/finetune/tuneData';
import { fixtureConfig, fixtureSafetensors, GPT2_TOKENIZER, gpt2ConfigJson } from '../gpt2Fixture';
import { backend } from '../helpers';

beforeAll(() => backend());

/** Run `read`; it may succeed, or throw a FolioError said in both languages — nothing else. */
function readsOrSays(read: () => unknown): boolean {
  try {
    read();
    return true;
  } catch (e) {
    if (!(e instanceof FolioError)) throw e;
    expect(noticeText('en', e.notice).length).toBeGreaterThan(0);
    expect(noticeText('pt', e.notice)).not.toBe(e.notice.code);
    return false;
  }
}

/** A byte string with some bytes replaced, some cut off, or some inserted. */
const mutated = (good: Uint8Array) =>
  fc.oneof(
    fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((edits) => {
      const b = good.slice();
      for (const [i, v] of edits) b[i] = v;
      return b;
    }),
    fc.nat(good.length - 1).map((n) => good.slice(0, n)),
    fc
      .tuple(fc.nat(good.length), fc.uint8Array({ minLength: 1, maxLength: 16 }))
      .map(([i, ins]) => new Uint8Array([...good.slice(0, i), ...ins, ...good.slice(i)])),
  );

/** A JSON text with one field changed to a random JSON value, or removed. */
const fieldMutated = (good: Record<string, unknown>) =>
  fc.tuple(fc.constantFrom(...Object.keys(good)), fc.option(fc.jsonValue(), { nil: undefined })).map(([k, v]) => JSON.stringify({ ...good, [k]: v }));

describe('hostile files (fast-check)', () => {
  const small = fixtureConfig({ nLayer: 1, nHead: 2, nEmbd: 8, nPositions: 8 });
  const tensors = encodeSafetensors([
    ['a', { shape: [2, 3], data: new Float32Array(6).fill(1) }],
    ['b', { shape: [4], data: new Float32Array(4).fill(2) }],
  ]);

  it('safetensors: random and mutated bytes are read or refused with a notice; every offset read lies inside the file', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated(tensors)), (bytes) => {
        readsOrSays(() => {
          const h = readHeader(bytes);
          for (const name of Object.keys(h.header)) expect(tensorF32(bytes, h, name).length).toBeLessThanOrEqual(bytes.length);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('safetensors: a header claiming far more than the file holds fails at once, allocating nothing', () => {
    const claim = (shape: number[], end: number) => {
      const json = JSON.stringify({ x: { dtype: 'F32', shape, data_offsets: [0, end] } });
      const b = new Uint8Array(8 + json.length + 16);
      new DataView(b.buffer).setBigUint64(0, BigInt(json.length), true);
      b.set(new TextEncoder().encode(json), 8);
      return b;
    };
    const before = tf.memory().numBytes;
    for (const b of [claim([1e6, 1e6], 4e12), claim([2 ** 31, 2 ** 31], 16), claim([4], 2 ** 53)]) {
      const t = performance.now();
      expect(readsOrSays(() => readHeader(b))).toBe(false);
      expect(performance.now() - t).toBeLessThan(50);
    }
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 60n, true); // a header length of an exabyte
    expect(readsOrSays(() => readHeader(huge))).toBe(false);
    expect(tf.memory().numBytes).toBe(before);
  });

  it('config.json: any JSON value, or the real one with a field changed, is a GPT-2 config in range or a notice', () => {
    const good = gpt2ConfigJson(small);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fieldMutated(good),
          fc.string({ maxLength: 40 }),
        ),
        (text) => {
          readsOrSays(() => {
            const { config } = gpt2Config(text);
            expect(config.nEmbd % config.nHead).toBe(0);
            expect(config.nLayer).toBeLessThanOrEqual(48);
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('tokenizer.json: mutated model, vocab and merges are read or refused with a notice', () => {
    const good = byteBpeToTokenizerJson({ ...GPT2_TOKENIZER, vocab: GPT2_TOKENIZER.vocab.slice(0, 300), merges: GPT2_TOKENIZER.merges!.slice(0, 40) });
    const model = good.model as Record<string, unknown>;
    fc.assert(
      fc.property(
        fc.oneof(
          fieldMutated(good),
          fieldMutated(model).map((m) => JSON.stringify({ ...good, model: JSON.parse(m) as unknown })),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          readsOrSays(() => byteBpeFromTokenizerJson(text));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a whole GPT-2 folder with mutated weights is checked before anything is built', () => {
    const config = JSON.stringify(gpt2ConfigJson({ ...small, vocabSize: 300 }));
    const tokenizer = JSON.stringify(byteBpeToTokenizerJson({ ...GPT2_TOKENIZER, vocab: GPT2_TOKENIZER.vocab.slice(0, 300), merges: [], special: [] }));
    const good = fixtureSafetensors({ ...small, vocabSize: 300 });
    const before = tf.memory().numTensors;
    fc.assert(
      fc.property(mutated(good.slice(0, 2000)), (head) => {
        const bytes = new Uint8Array(good.length);
        bytes.set(good);
        bytes.set(head.slice(0, Math.min(head.length, good.length)));
        readsOrSays(() => readGpt2({ config, tokenizer, safetensors: head.length < 2000 ? head : bytes }));
      }),
      { numRuns: 150 },
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('PEFT adapters: mutated configs and weights are applied or refused, and a refused one leaves the model as it was', async () => {
    const c = { ...small, vocabSize: 40 };
    const source = createGPT(c, 1);
    addLora(source, { r: 2, alpha: 4, targets: ['c_attn', 'c_fc'] }, 2);
    const good = await toPeft(source, 'base');
    disposeGPT(source);
    const target = createGPT(c, 1);
    const before = tf.memory().numTensors;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fieldMutated(JSON.parse(good.config) as Record<string, unknown>).map((config) => ({ ...good, config })),
          mutated(good.safetensors).map((safetensors) => ({ ...good, safetensors })),
        ),
        async (files) => {
          if (readsOrSays(() => applyPeft(target, files))) {
            const { dropLora } = await import('../../src/model/lora');
            dropLora(target);
          }
          expect(target.lora).toBeUndefined();
          expect(tf.memory().numTensors).toBe(before);
        },
      ),
      { numRuns: 200 },
    );
    disposeGPT(target);
  });

  it('JSON Lines: any text gives records with every field a string, or a notice naming a line', () => {
    const line = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.record({ prompt: fc.string(), chosen: fc.oneof(fc.string(), fc.integer()), rejected: fc.string() }).map((r) => JSON.stringify(r)),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
        readsOrSays(() => {
          for (const r of parseJsonl(lines.join('\n'), ['prompt', 'chosen', 'rejected'])) for (const v of Object.values(r)) expect(typeof v).toBe('string');
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a shared ?exp= link: any text gives runs whose configs are checked, or none — never an exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.base64String({ maxLength: 200 }),
          fc.jsonValue().map((v) => btoa(unescape(encodeURIComponent(JSON.stringify(v))))),
        ),
        (text) => {
          const runs = decodeShared(text);
          expect(Array.isArray(runs)).toBe(true);
          for (const r of runs) expect(Number.isInteger(r.seed)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});
