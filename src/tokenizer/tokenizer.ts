/**
 * The one interface every tokenizer implements. A tokenizer is built from a corpus,
 * turns text into integer ids and back, and can be saved inside a checkpoint.
 *
 * Invariant (tested): decode(encode(s)) === s for any s written in the corpus's
 * alphabet — accents, emoji and CRLF included. Characters outside the alphabet are
 * never a crash: `unknownChars` lists them, and `encode` drops them (char, bpe) or
 * maps them to the unknown token (word).
 */

/** `bytebpe` is GPT-2's (byteBpe.ts): it comes with a pretrained model, never built from a corpus. */
export type TokenizerKind = 'char' | 'word' | 'bpe' | 'kmer' | 'bytebpe';

export interface TokenizerJSON {
  kind: TokenizerKind;
  /** The string each id stands for, in id order. */
  vocab: string[];
  /** BPE only: the merges in the order they were learned, as pairs of ids. */
  merges?: [number, number][];
  /** Word and k-mer: id of the unknown token. */
  unkId?: number;
  /** k-mer only: bases per token (1–6). */
  k?: number;
  /** k-mer only: whether tokens overlap (one per base) or tile the sequence. */
  overlap?: boolean;
  /** bytebpe only: ids of the special tokens matched as they are in text (`<|endoftext|>`). */
  special?: number[];
}

export interface Tokenizer {
  readonly kind: TokenizerKind;
  readonly vocabSize: number;
  /** Id of the unknown token, when the tokenizer has one. */
  readonly unkId: number | undefined;
  encode(text: string): number[];
  decode(ids: ArrayLike<number>): string;
  /** The text one token stands for (raw; may be whitespace). */
  tokenText(id: number): string;
  /** A token shown to a person: whitespace made visible ("␣", "↵"), specials named. */
  tokenDisplay(id: number): string;
  /** Distinct characters of `text` the tokenizer cannot represent, in order of appearance. */
  unknownChars(text: string): string[];
  toJSON(): TokenizerJSON;
}

/** Split into Unicode code points (an emoji is one, not two UTF-16 units). */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

const VISIBLE: Record<string, string> = { ' ': '␣', '\n': '↵', '\r': '␍', '\t': '⇥' };

/** Make whitespace visible so a token chip never looks empty. */
export function visibleWhitespace(s: string): string {
  let out = '';
  for (const ch of s) out += VISIBLE[ch] ?? ch;
  return out;
}

/** Sorted distinct code points of a corpus: the alphabet every tokenizer starts from. */
export function alphabetOf(text: string): string[] {
  const set = new Set<string>();
  for (const ch of text) set.add(ch);
  return [...set].sort(compareCodePoints);
}

/** Order strings by code points (JS `<` orders by UTF-16 units, which misplaces emoji). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}
