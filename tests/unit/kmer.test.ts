/** The k-mer tokenizer (DNA), its next-base ranking, and its place in checkpoints. */
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryFilesHandler, loadCheckpoint, saveCheckpoint } from '../../src/checkpoint/checkpoint';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { addedBases, isDnaTokenizer, rankNextBases } from '../../src/predict/dna';
import type { Probs } from '../../src/predict/probs';
import { buildTokenizer, tokenizerFromJSON, KmerTokenizer } from '../../src/tokenizer';
import { allKmers } from '../../src/tokenizer/kmer';
import { FolioError, noticeText } from '../../src/i18n';
import { backend, tinyConfig, tinyTrain } from '../helpers';

const GENOME = 'ACGTTGCATATAAAGGCCTTAAGCTAGCATGCCCGGGTTTAAACGT'.repeat(8);
const kmer = (k: number, overlap: boolean) => buildTokenizer(GENOME, { kind: 'kmer', vocabSize: 0, k, overlap }) as KmerTokenizer;

beforeAll(() => backend('cpu'));

describe.each([1, 2, 3, 4, 5, 6])('k-mer tokenizer, k = %i', (k) => {
  it('has 4^k k-mers (A < C < G < T, the id is the base-4 number) and one unknown token', () => {
    for (const overlap of [false, true]) {
      const tok = kmer(k, overlap);
      expect(tok.vocabSize).toBe(4 ** k + 1);
      expect(tok.unkId).toBe(4 ** k);
      expect(tok.tokenText(0)).toBe('A'.repeat(k));
      expect(tok.tokenText(4 ** k - 1)).toBe('T'.repeat(k));
      expect(tok.encode('ACGT'.repeat(2).slice(0, k))[0]).toBe(allKmers(k).indexOf('ACGTACGT'.slice(0, k)));
    }
  });

  it('round-trips DNA: overlapping always, non-overlapping when the length is a multiple of k', () => {
    const ov = kmer(k, true);
    const tiles = kmer(k, false);
    for (const s of [GENOME, 'ACGTAC', 'TTTTTTTTTTTT', 'GATTACA']) {
      if (s.length >= k) expect(ov.decode(ov.encode(s))).toBe(s);
      expect(ov.encode(s)).toHaveLength(Math.max(0, s.length - k + 1));
      const cut = s.slice(0, s.length - (s.length % k));
      expect(tiles.decode(tiles.encode(s))).toBe(cut);
      expect(tiles.tailOf(s)).toBe(s.length % k);
    }
  });

  it('round-trips through JSON (k and overlap kept) with the same ids', () => {
    for (const overlap of [false, true]) {
      const tok = kmer(k, overlap);
      const back = tokenizerFromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
      expect(back).toBeInstanceOf(KmerTokenizer);
      expect((back as KmerTokenizer).k).toBe(k);
      expect((back as KmerTokenizer).overlap).toBe(overlap);
      expect(back.encode(GENOME)).toEqual(tok.encode(GENOME));
    }
  });
});

describe('k-mer tokenizer', () => {
  it('reads lower case, skips whitespace (FASTA line breaks) and reports other characters', () => {
    const tok = kmer(3, false);
    expect(tok.decode(tok.encode('acg tac\nGGG'))).toBe('ACGTACGGG');
    expect(tok.unknownChars('ACGN-T x')).toEqual(['N', '-', 'x']);
    expect(tok.decode(tok.encode('ACGN-TAC'))).toBe('ACGTAC');
  });

  it('overlapping: ACGTAC → ACG CGT GTA TAC, and a next k-mer adds one base only if it agrees', () => {
    const tok = kmer(3, true);
    const ids = tok.encode('ACGTAC');
    expect(ids.map((i) => tok.tokenText(i))).toEqual(['ACG', 'CGT', 'GTA', 'TAC']);
    const id = (s: string) => allKmers(3).indexOf(s);
    expect(tok.addedBases(id('TAC'), id('ACG'))).toBe('G');
    expect(tok.addedBases(id('TAC'), id('CCG'))).toBeUndefined(); // disagrees with "AC"
    expect(tok.addedBases(undefined, id('CCG'))).toBe('CCG');
    expect(kmer(3, false).addedBases(id('TAC'), id('CCG'))).toBe('CCG');
  });

  it('refuses a text that is not DNA, and a k outside 1–6, with a sentence', () => {
    const said = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return noticeText('en', (e as FolioError).notice);
      }
      return 'no error';
    };
    expect(said(() => buildTokenizer('The quick brown fox jumps over the lazy dog.', { kind: 'kmer', vocabSize: 0, k: 3 }))).toMatch(/reads DNA/);
    expect(said(() => buildTokenizer(GENOME, { kind: 'kmer', vocabSize: 0, k: 7 }))).toMatch(/1 to 6 bases/);
    expect(() => tokenizerFromJSON({ kind: 'kmer', vocab: ['A'], k: 2 })).toThrow(/does not match/);
  });

  it('a checkpoint keeps the k-mer tokenizer: same k, same overlap, same weights', async () => {
    const tok = kmer(2, true);
    const model = createGPT(tinyConfig(tok.vocabSize), 7);
    const h = memoryFilesHandler();
    await saveCheckpoint(h, { model, tokenizer: tok, train: tinyTrain(), step: 3 });
    const back = await loadCheckpoint(h);
    expect(back.meta.tokenizer).toMatchObject({ kind: 'kmer', k: 2, overlap: true });
    expect(back.tokenizer.encode(GENOME)).toEqual(tok.encode(GENOME));
    expect(back.model.config.vocabSize).toBe(17);
    disposeGPT(model);
    disposeGPT(back.model);
  });
});

describe('next bases', () => {
  it('char and k-mer tokenizers on DNA are DNA tokenizers; a text tokenizer is not', () => {
    expect(isDnaTokenizer(buildTokenizer(GENOME, { kind: 'char', vocabSize: 0 }))).toBe(true);
    expect(isDnaTokenizer(kmer(3, true))).toBe(true);
    expect(isDnaTokenizer(buildTokenizer('hello world', { kind: 'char', vocabSize: 0 }))).toBe(false);
  });

  it('sums each codon over the ways of spelling it, for chars, tiles and overlapping k-mers alike', async () => {
    // A hand-written model: always "ATG" next (P 0.7), otherwise uniform.
    const cases = [buildTokenizer(GENOME, { kind: 'char', vocabSize: 0 }), kmer(1, true), kmer(3, false), kmer(3, true), kmer(2, false)];
    for (const tok of cases) {
      const context = tok.encode('GGGCCC');
      const next = async (cs: number[][]): Promise<Probs[]> =>
        cs.map((c) => {
          let text = '';
          for (let i = context.length; i < c.length; i++) text += addedBases(tok, c[i - 1], c[i]!) ?? '';
          const want = 'ATGATG'.slice(text.length); // what is left of "ATG…" after what this branch already added
          const p = new Float32Array(tok.vocabSize);
          const added = Array.from({ length: tok.vocabSize }, (_, id) => (id === tok.unkId ? undefined : addedBases(tok, c[c.length - 1], id)));
          const fits = added.filter((a) => a !== undefined && want.startsWith(a)).length;
          const valid = added.filter((a) => a !== undefined).length;
          added.forEach((a, id) => (p[id] = a === undefined ? 0 : (want.startsWith(a) ? 0.7 / fits : 0) + 0.3 / valid));
          if (tok.unkId !== undefined) p[tok.unkId] = 0;
          const sum = p.reduce((a, b) => a + b, 0);
          return p.map((x) => x / sum) as unknown as Probs;
        });
      const r = await rankNextBases(next, tok, context);
      expect(r.runs[0]!.bases, tok.kind).toBe('ATG');
      expect(r.next[0]!.bases).toBe('A');
      expect(r.next[0]!.p).toBeGreaterThan(0.6);
      const total = r.runs.reduce((s, x) => s + x.p, 0) + r.other + r.uncovered;
      expect(total).toBeGreaterThan(r.runs.length < 10 ? 0.999 : 0.5);
      expect(r.next.reduce((s, b) => s + b.p, 0) + r.other).toBeCloseTo(1, 5);
    }
  });
});

describe('DNA in the page state', () => {
  it('the address bar carries the k-mer tokenizer, its k and overlap (defaults left out)', async () => {
    const { readUrl, writeUrl } = await import('../../src/state/urlState');
    const { defaultSettings, DEFAULT_PROMPT } = await import('../../src/state/store');
    const patch = readUrl('?corpus=dna&tokenizer=kmer&k=4&overlap=0');
    expect(patch.settings).toMatchObject({ corpus: 'dna', tokenizer: 'kmer', kmerK: 4, kmerOverlap: false });
    expect(readUrl('?k=7&overlap=maybe').settings).toEqual({}); // nonsense is ignored
    const q = writeUrl({ settings: { ...defaultSettings, ...patch.settings }, prompt: DEFAULT_PROMPT, backend: 'auto' }, '');
    expect(new URLSearchParams(q).get('k')).toBe('4');
    expect(writeUrl({ settings: { ...defaultSettings, corpus: 'dna', tokenizer: 'kmer' }, prompt: DEFAULT_PROMPT, backend: 'auto' }, '')).toBe(
      'corpus=dna&tokenizer=kmer',
    );
  });

  it('choosing the genome switches to k-mers and a DNA prompt (and ATG to track); leaving it switches back', async () => {
    const { fitPromptToCorpus, tokenizerForCorpus, DNA_PROMPTS } = await import('../../src/state/dna');
    expect(tokenizerForCorpus('dna', 'char')).toEqual({ tokenizer: 'kmer' });
    expect(tokenizerForCorpus('dna', 'kmer')).toEqual({});
    expect(tokenizerForCorpus('fox', 'kmer')).toEqual({ tokenizer: 'char' });
    expect(tokenizerForCorpus('fox', 'bpe')).toEqual({});
    const set = { prompt: '', track: '' };
    const to = { prompt: (p: string) => (set.prompt = p), track: (w: string) => (set.track = w) };
    fitPromptToCorpus('dna', 'The quick brown fox', 'dog', to);
    expect(set).toEqual({ prompt: DNA_PROMPTS[0], track: 'ATG' });
    fitPromptToCorpus('fox', DNA_PROMPTS[0]!, 'ATG', to);
    expect(set).toEqual({ prompt: 'The quick brown fox jumps over the lazy', track: 'dog' });
    // Opening a shared ?corpus=dna link (no prompt in it): the same DNA prompt and ATG.
    const { fitStartToCorpus } = await import('../../src/state/dna');
    fitStartToCorpus({ settings: { corpus: 'dna', track: 'dog' }, prompt: 'The quick brown fox' }, to);
    expect(set).toEqual({ prompt: DNA_PROMPTS[0], track: 'ATG' });
    fitStartToCorpus({ settings: { corpus: 'dna', track: 'GCA' }, prompt: 'ACGTACGT' }, to); // a DNA prompt and another codon stay
    expect(set).toEqual({ prompt: DNA_PROMPTS[0], track: 'ATG' });
    // A person's text: prose while k-mers are on switches to characters; DNA keeps k-mers; char stays char.
    const { tokenizerForText } = await import('../../src/state/dna');
    const bytes = (t: string) => new TextEncoder().encode(t).buffer as ArrayBuffer;
    expect(tokenizerForText(bytes('To be, or not to be: that is the question.'), 'kmer')).toEqual({ tokenizer: 'char' });
    expect(tokenizerForText(bytes('ACGTTGCA\nGGCATTAC'), 'kmer')).toEqual({});
    expect(tokenizerForText(bytes('ACGTTGCA'), 'char')).toEqual({});
    // Every example prompt is DNA with the promoter only where it is planted.
    for (const p of DNA_PROMPTS) expect(p).toMatch(/^[ACGT]+$/);
    expect(DNA_PROMPTS[0]!.endsWith('TATAAA' + DNA_PROMPTS[0]!.slice(-10))).toBe(true);
    expect(DNA_PROMPTS[3]!.includes('TATA')).toBe(false);
  });
});
