/**
 * k-mer tokenizer for DNA, as genomic language models use (DNABERT cuts a genome into
 * k-mers): every token is k bases (A, C, G, T), so the vocabulary is all 4^k of them, in
 * A < C < G < T order, plus one unknown token (id 4^k, never produced from text: it is
 * there for a restored vocabulary that names an id it does not have).
 *
 * Two ways to cut, chosen by `overlap`:
 * - non-overlapping: ACGTAC with k = 3 → ACG · TAC. A tail shorter than k is not a token
 *   (it is dropped; `tailOf` says how many bases that was). Each token adds k bases.
 * - overlapping: the token at position i is the k-mer that *starts* at base i, so ACGTAC
 *   with k = 3 → ACG · CGT · GTA · TAC. Decoding keeps the first token whole and one
 *   base — the last — of each token after it. Predicting the next token is predicting the
 *   next k-mer, whose first k − 1 bases are already known (the last k − 1 of the current
 *   one): only its last base is new. A next k-mer that disagrees with them is
 *   "inconsistent"; a trained model gives those almost nothing (`addedBases` tells them apart).
 *   A text shorter than k has no token.
 * With k = 1 both ways are the character tokenizer on A, C, G, T.
 *
 * Text: letters are read case-insensitively; whitespace (line breaks of a FASTA file) is
 * skipped — it is layout, not sequence; any other character is unknown: `unknownChars`
 * lists it and `encode` skips it. So decode(encode(s)) is s in capitals, without
 * whitespace, for any s of A/C/G/T (non-overlapping: whose length is a multiple of k).
 */
import { FolioError, notice } from '../i18n';
import type { Tokenizer, TokenizerJSON } from './tokenizer';

export const KMER_MIN = 1;
export const KMER_MAX = 6;
export const DNA_BASES = 'ACGT';
/** The share of A, C, G, T a text needs to be read in k-mers. */
export const MIN_DNA_SHARE = 0.9;
const UNK_TEXT = 'N'; // the IUPAC letter for "any base"

/** All 4^k k-mers in A < C < G < T order (the id of a k-mer is its base-4 number). */
export function allKmers(k: number): string[] {
  let out = [''];
  for (let i = 0; i < k; i++) out = out.flatMap((s) => [...DNA_BASES].map((b) => s + b));
  return out;
}

export function isKmerK(k: unknown): k is number {
  return typeof k === 'number' && Number.isInteger(k) && k >= KMER_MIN && k <= KMER_MAX;
}

const BASE_VALUE: Record<string, number> = { A: 0, C: 1, G: 2, T: 3, a: 0, c: 1, g: 2, t: 3 };

/** Share of a text's non-whitespace characters that are bases (a–z either case). */
export function dnaShare(text: string, sample = 200_000): number {
  let bases = 0;
  let seen = 0;
  for (const ch of text) {
    if (/\s/.test(ch)) continue;
    if (ch in BASE_VALUE) bases++;
    if (++seen >= sample) break;
  }
  return seen === 0 ? 0 : bases / seen;
}

export class KmerTokenizer implements Tokenizer {
  readonly kind = 'kmer' as const;
  private readonly vocab: string[];

  private constructor(
    readonly k: number,
    readonly overlap: boolean,
  ) {
    this.vocab = [...allKmers(k), UNK_TEXT];
  }

  /** A k-mer tokenizer for a DNA corpus; refuses (with a notice) a text that is not mostly A, C, G, T. */
  static train(corpus: string, k: number, overlap: boolean): KmerTokenizer {
    if (!isKmerK(k)) throw new FolioError(notice('dnaKmerK', { k: String(k), min: KMER_MIN, max: KMER_MAX }));
    const share = dnaShare(corpus);
    if (share < MIN_DNA_SHARE) throw new FolioError(notice('dnaNotDna', { percent: Math.round(share * 100) }));
    return new KmerTokenizer(k, overlap);
  }

  static fromJSON(json: TokenizerJSON): KmerTokenizer {
    if (!isKmerK(json.k)) throw new Error(`k-mer size must be ${KMER_MIN}–${KMER_MAX} (got ${String(json.k)}).`);
    const t = new KmerTokenizer(json.k, json.overlap === true);
    if (json.vocab.length !== t.vocab.length || json.vocab.some((s, i) => s !== t.vocab[i])) throw new Error('The k-mer vocabulary does not match its k.');
    return t;
  }

  get vocabSize(): number {
    return this.vocab.length;
  }

  get unkId(): number {
    return this.vocab.length - 1;
  }

  /** The bases of a text, as values 0–3 (whitespace and unknown characters skipped). */
  private bases(text: string): number[] {
    const out: number[] = [];
    for (const ch of text) {
      const v = BASE_VALUE[ch];
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  encode(text: string): number[] {
    const b = this.bases(text);
    const ids: number[] = [];
    const stride = this.overlap ? 1 : this.k;
    for (let i = 0; i + this.k <= b.length; i += stride) {
      let id = 0;
      for (let j = 0; j < this.k; j++) id = id * 4 + b[i + j]!;
      ids.push(id);
    }
    return ids;
  }

  /** Bases at the end of `text` that make no token (non-overlapping: fewer than k left over). */
  tailOf(text: string): number {
    const n = this.bases(text).length;
    return this.overlap ? (n < this.k ? n : 0) : n % this.k;
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const t = this.tokenText(ids[i]!);
      s += this.overlap && i > 0 ? t.slice(-1) : t;
    }
    return s;
  }

  /**
   * The bases token `id` adds after token `prev` (undefined: the first token): the whole
   * k-mer, or — overlapping — its last base, or undefined when it disagrees with `prev`.
   */
  addedBases(prev: number | undefined, id: number): string | undefined {
    const t = this.tokenText(id);
    if (id === this.unkId) return undefined;
    if (!this.overlap || prev === undefined) return t;
    return this.tokenText(prev).slice(1) === t.slice(0, -1) ? t.slice(-1) : undefined;
  }

  tokenText(id: number): string {
    return this.vocab[id] ?? UNK_TEXT;
  }

  tokenDisplay(id: number): string {
    return id === this.unkId ? '<unk>' : this.tokenText(id);
  }

  unknownChars(text: string): string[] {
    const out = new Set<string>();
    for (const ch of text) if (!(ch in BASE_VALUE) && !/\s/.test(ch)) out.add(ch);
    return [...out];
  }

  toJSON(): TokenizerJSON {
    return { kind: 'kmer', vocab: [...this.vocab], k: this.k, overlap: this.overlap, unkId: this.unkId };
  }
}
