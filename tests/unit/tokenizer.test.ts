import { describe, expect, it } from 'vitest';
import { buildTokenizer, tokenizerFromJSON, type TokenizerKind } from '../../src/tokenizer';
import { BpeTokenizer } from '../../src/tokenizer/bpe';
import { readCorpus } from '../helpers';

const PT = 'Um modelo de linguagem é treinado com muitos textos. Ação, coração, pássaro, você! Atenção: "arco" e "flecha".\r\n';
const EMOJI = 'The fox 🦊 jumps over the dog 🐶… 👩‍👩‍👧 café naïve résumé\r\nline two\ttab\n';
const CORPUS = (PT + EMOJI).repeat(20) + 'Zebra 42 😀!';
const kinds: [TokenizerKind, number][] = [
  ['char', 0],
  ['word', 300],
  ['bpe', 200],
];

describe.each(kinds)('%s tokenizer', (kind, vocabSize) => {
  const tok = buildTokenizer(CORPUS, { kind, vocabSize });

  it('round-trips text in the corpus alphabet: accents, emoji, CRLF, tabs', () => {
    for (const s of [PT, EMOJI, CORPUS, 'ação 🦊\r\n😀', '', ' ', 'Zebra fox café 42']) {
      expect(tok.decode(tok.encode(s))).toBe(s);
    }
  });

  it('round-trips through JSON with the same ids', () => {
    const back = tokenizerFromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
    expect(back.vocabSize).toBe(tok.vocabSize);
    expect(back.encode(CORPUS)).toEqual(tok.encode(CORPUS));
    expect(back.decode(tok.encode(EMOJI))).toBe(EMOJI);
  });

  it('reports characters outside the vocabulary instead of crashing', () => {
    const s = 'fox ∑ jumps ✈';
    expect(tok.unknownChars(s)).toEqual(['∑', '✈']);
    const ids = tok.encode(s);
    expect(ids.every((id) => id >= 0 && id < tok.vocabSize)).toBe(true);
    if (tok.unkId !== undefined) expect(ids.filter((id) => id === tok.unkId)).toHaveLength(2);
    else expect(tok.decode(ids)).toBe('fox  jumps ');
  });

  it('shows whitespace visibly in token displays', () => {
    const ids = tok.encode(' \n');
    expect(ids.map((i) => tok.tokenDisplay(i)).join('')).toMatch(/[␣↵]/u);
  });
});

describe('char tokenizer', () => {
  it('uses code points, not UTF-16 units: an emoji is one token', () => {
    const tok = buildTokenizer('a🦊b', { kind: 'char', vocabSize: 0 });
    expect(tok.vocabSize).toBe(3);
    expect(tok.encode('🦊')).toHaveLength(1);
  });
});

describe('word tokenizer', () => {
  it('makes words, punctuation and whitespace tokens, and caps the vocabulary', () => {
    const tok = buildTokenizer(CORPUS, { kind: 'word', vocabSize: 120 });
    expect(tok.vocabSize).toBeLessThanOrEqual(120);
    const ids = tok.encode('Um modelo, você!');
    expect(ids.map((i) => tok.tokenText(i))).toEqual(['Um', ' ', 'modelo', ',', ' ', 'você', '!']);
    expect(tok.tokenDisplay(tok.unkId!)).toBe('<unk>');
  });

  it('spells words that did not make the cap letter by letter', () => {
    const tok = buildTokenizer('aa bb cc aa aa bb', { kind: 'word', vocabSize: 6 }); // unk + 4 chars + 1 word
    expect(tok.vocabSize).toBe(6);
    expect(tok.encode('aa cc').map((i) => tok.tokenText(i))).toEqual(['aa', ' ', 'c', 'c']);
  });
});

describe('bpe tokenizer', () => {
  const shakespeare = readCorpus('tinyshakespeare.txt').slice(0, 200_000);

  it('is deterministic: the same corpus and size give the same merges', () => {
    const a = BpeTokenizer.train(shakespeare, 512).toJSON();
    const b = BpeTokenizer.train(shakespeare, 512).toJSON();
    expect(a).toEqual(b);
    expect(a.vocab).toHaveLength(512);
  });

  it('learns frequent words as single tokens and compresses text', () => {
    const tok = BpeTokenizer.train(shakespeare, 1024);
    const text = shakespeare.slice(0, 5000);
    expect(tok.encode(text).length).toBeLessThan(text.length / 2.5);
    expect(tok.encode(' the').map((i) => tok.tokenText(i))).toEqual([' the']);
    expect(tok.decode(tok.encode(text))).toBe(text);
  });

  it('refuses a vocabulary smaller than the alphabet, with a reason', () => {
    expect(() => BpeTokenizer.train(shakespeare, 20)).toThrow(/smaller than the corpus's \d+ distinct characters/);
  });
});
