/**
 * Bits per character (train/lossUnits.ts): a loss in nats per token, read per character of
 * the text, so runs with different tokenizers compare. The maths: src/train/README.md.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bitsPerChar, charsPerToken, inUnit, knownCharsPerToken, textUnitOf } from '../../src/train/lossUnits';
import { buildTokenizer, type TokenizerConfig } from '../../src/tokenizer';
import { splitTokens } from '../../src/data/dataset';
import { root } from '../helpers';

const SHAKESPEARE = readFileSync(path.join(root, 'corpus', 'tinyshakespeare.txt'), 'utf8').slice(0, 60_000);
const DNA = readFileSync(path.join(root, 'corpus', 'dna.txt'), 'utf8').slice(0, 20_000);
const fixture = (name: string) =>
  JSON.parse(readFileSync(path.join(root, 'tests', 'fixtures', 'curves', `${name}.json`), 'utf8')) as { charsPerToken: number; val: [number, number][] };

/** The val split of `text` under a tokenizer, and the characters its tokens spell. */
function valOf(text: string, cfg: TokenizerConfig) {
  const tok = buildTokenizer(text, cfg);
  const { val } = splitTokens(tok.encode(text), 8);
  return { tok, val, chars: Array.from(tok.decode(val)).length };
}

describe('bits per character', () => {
  it('a character model: bits per character = nats per token ÷ ln 2 (one character a token, emoji included)', () => {
    const { tok, val } = valOf('héllo wörld 🙂 '.repeat(40), { kind: 'char', vocabSize: 0 });
    expect(charsPerToken(tok, val)).toBe(1);
    expect(bitsPerChar(1.7, 1)).toBeCloseTo(1.7 / Math.LN2, 12);
    expect(inUnit(1.7, 'bits', 1)).toBeCloseTo(2.4526, 4);
    expect(inUnit(1.7, 'nats', 3)).toBe(1.7);
    expect(knownCharsPerToken('char')).toEqual({ train: 1, val: 1 });
    expect(knownCharsPerToken('bpe')).toBeUndefined();
  });

  it.each([
    ['BPE 300', { kind: 'bpe', vocabSize: 300 }],
    ['words', { kind: 'word', vocabSize: 400 }],
  ] as const)('%s: characters per token are the val text’s characters ÷ its tokens, and the bits add up over the text', (_, cfg) => {
    const { tok, val, chars } = valOf(SHAKESPEARE, cfg);
    const cpt = charsPerToken(tok, val);
    expect(cpt).toBeCloseTo(chars / val.length, 12);
    expect(cpt).toBeGreaterThan(1.5);
    // A model that spends L nats on each token spends N·L nats on the val text: per character, in bits,
    // that is N·L / (C·ln 2) — what bitsPerChar says from L and the characters per token alone.
    const L = 3.2;
    expect(bitsPerChar(L, cpt)).toBeCloseTo((val.length * L) / (chars * Math.LN2), 12);
  });

  it('k-mers: a tiled 3-mer stands for 3 bases; an overlapping one adds 1 (bits per base)', () => {
    const tiled = valOf(DNA, { kind: 'kmer', vocabSize: 0, k: 3, overlap: false });
    expect(charsPerToken(tiled.tok, tiled.val)).toBe(3);
    expect(tiled.chars).toBe(3 * tiled.val.length);
    const overlapping = valOf(DNA, { kind: 'kmer', vocabSize: 0, k: 3, overlap: true });
    // N overlapping tokens spell N + k − 1 bases, but each predicted token adds one base: the first k − 1 are context.
    expect(overlapping.chars).toBe(overlapping.val.length + 2);
    expect(charsPerToken(overlapping.tok, overlapping.val)).toBe(1);
    expect(textUnitOf('kmer')).toBe('base');
    expect(textUnitOf('bpe')).toBe('char');
  });

  it('a BPE-512 run and a character run on Tiny Shakespeare compare only in bits per character (recorded runs)', () => {
    // tests/fixtures/curves: the nano model trained for 2,000 steps on BPE-512 tokens, and for 5,000 on characters.
    const bpe = fixture('shakespeare-bpe512-2000');
    const char = fixture('shakespeare-nano-5000');
    const bpeVal = bpe.val.at(-1)![1];
    const charVal = char.val.at(-1)![1];
    expect(bpe.charsPerToken).toBeCloseTo(2.09, 2); // measured on the val split by the CLI
    // In nats per token the BPE run looks far worse (each of its tokens is two characters to guess)…
    expect(bpeVal).toBeGreaterThan(charVal + 1);
    // …per character of the same text it is the better model, even against 2.5 times the character run's steps.
    expect(bitsPerChar(bpeVal, bpe.charsPerToken)).toBeCloseTo(2.31, 2);
    expect(bitsPerChar(charVal, char.charsPerToken)).toBeCloseTo(2.45, 2);
  });
});
