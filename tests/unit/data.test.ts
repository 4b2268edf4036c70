import { describe, expect, it } from 'vitest';
import { CorpusError, decodeCorpusBytes, validateCorpusText, type CorpusErrorCode } from '../../src/data/corpus';
import { getBatch, splitTokens } from '../../src/data/dataset';

const enc = (s: string) => new TextEncoder().encode(s);

function rejects(fn: () => unknown, code: CorpusErrorCode, words: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CorpusError);
    expect((e as CorpusError).code).toBe(code);
    expect((e as Error).message).toMatch(words);
    return;
  }
  throw new Error(`expected a ${code} error`);
}

describe('corpus validation', () => {
  it('accepts ordinary UTF-8 text and strips a UTF-8 byte-order mark', () => {
    expect(decodeCorpusBytes(enc('Olá, mundo! 🦊\r\n'))).toBe('Olá, mundo! 🦊\r\n');
    expect(decodeCorpusBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...enc('hi there')]))).toBe('hi there');
  });

  it('rejects an empty file', () => rejects(() => decodeCorpusBytes(new Uint8Array()), 'empty', /empty/));
  it('rejects an empty paste', () => rejects(() => validateCorpusText(''), 'empty', /empty/));
  it('rejects whitespace only', () => rejects(() => decodeCorpusBytes(enc(' \n\t\r\n  ')), 'whitespace', /only spaces/));
  it('rejects binary with NUL bytes', () =>
    rejects(() => decodeCorpusBytes(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3])), 'binary', /binary/));
  it('rejects text that is mostly control characters', () =>
    rejects(() => validateCorpusText('\x01\x02\x03\x04\x05abc\x06\x07\x08\x0b\x0c'), 'binary', /control characters/));
  it('rejects UTF-16 with a byte-order mark', () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...Array.from(enc('hello world')).flatMap((b) => [b, 0])]);
    rejects(() => decodeCorpusBytes(bytes), 'utf16', /UTF-16.*UTF-8/);
  });
  it('rejects UTF-16 without a byte-order mark', () => {
    const bytes = new Uint8Array(Array.from(enc('hello world, this is text')).flatMap((b) => [b, 0]));
    rejects(() => decodeCorpusBytes(bytes), 'utf16', /UTF-16/);
  });
  it('rejects invalid UTF-8 (e.g. Latin-1 bytes)', () =>
    rejects(() => decodeCorpusBytes(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6b])), 'invalid-utf8', /not valid UTF-8/));
  it('rejects a file over the size cap, before decoding it', () =>
    rejects(() => decodeCorpusBytes(new Uint8Array(2048).fill(97), { maxBytes: 1024 }), 'too-large', /limit is/));
  it('rejects a paste over the size cap', () => rejects(() => validateCorpusText('é'.repeat(600), { maxBytes: 1024 }), 'too-large', /limit/));
  it('rejects one character, alone or repeated', () => {
    rejects(() => validateCorpusText('a'), 'single-char', /one character/);
    rejects(() => validateCorpusText('🦊🦊🦊🦊'), 'single-char', /repeated/);
  });
  it('rejects a text too short for the context after the split', () =>
    rejects(
      () =>
        splitTokens(
          Array.from({ length: 100 }, (_, i) => i % 7),
          64,
        ),
      'too-short',
      /too short.*context of 64/,
    ));
});

describe('split and batches', () => {
  const tokens = Array.from({ length: 1000 }, (_, i) => i);

  it('holds out the last 10% for validation by default', () => {
    const ds = splitTokens(tokens, 8);
    expect(ds.train.length).toBe(900);
    expect(ds.val[0]).toBe(900);
    expect(ds.val.length).toBe(100);
  });

  it('makes targets the inputs shifted by one', () => {
    const ds = splitTokens(tokens, 8);
    const b = getBatch(ds.train, 4, 8, 1, 0);
    for (let r = 0; r < 4; r++) {
      for (let t = 0; t < 8; t++) expect(b.y[r * 8 + t]).toBe(b.x[r * 8 + t]! + 1); // token i is i here
      expect(b.x[r * 8 + 7]! + 1).toBeLessThan(900); // never reads past the train split
    }
  });

  it('is seeded: the same (seed, step) gives the same batch; another step does not', () => {
    const ds = splitTokens(tokens, 8);
    expect(getBatch(ds.train, 4, 8, 7, 3).x).toEqual(getBatch(ds.train, 4, 8, 7, 3).x);
    expect(getBatch(ds.train, 4, 8, 7, 4).x).not.toEqual(getBatch(ds.train, 4, 8, 7, 3).x);
    expect(getBatch(ds.train, 4, 8, 8, 3).x).not.toEqual(getBatch(ds.train, 4, 8, 7, 3).x);
  });
});
