/** Build a tokenizer from a corpus, or restore one from a checkpoint. */
import { BpeTokenizer } from './bpe';
import { ByteBpeTokenizer } from './byteBpe';
import { CharTokenizer } from './char';
import { KmerTokenizer } from './kmer';
import type { Tokenizer, TokenizerJSON, TokenizerKind } from './tokenizer';
import { WordTokenizer } from './word';

export type { Tokenizer, TokenizerJSON, TokenizerKind } from './tokenizer';
export { KmerTokenizer, KMER_MIN, KMER_MAX, isKmerK } from './kmer';
export { ByteBpeTokenizer } from './byteBpe';

export interface TokenizerConfig {
  kind: TokenizerKind;
  /** Vocabulary size for `bpe` (target) and `word` (cap); ignored by `char` and `kmer`. */
  vocabSize: number;
  /** `kmer` only: bases per token, 1–6 (default 3). */
  k?: number;
  /** `kmer` only: overlapping k-mers, one per base (default true). */
  overlap?: boolean;
}

export const TOKENIZER_KINDS: readonly TokenizerKind[] = ['char', 'word', 'bpe', 'kmer'];

export const DEFAULT_KMER = { k: 3, overlap: true } as const;

export const DEFAULT_TOKENIZER: TokenizerConfig = { kind: 'char', vocabSize: 1024 };

/** Train the tokenizer the config names on the corpus; `onProgress` hears a long (BPE) build's progress. */
export function buildTokenizer(corpus: string, cfg: TokenizerConfig, onProgress?: (done: number, total: number) => void): Tokenizer {
  switch (cfg.kind) {
    case 'char':
      return CharTokenizer.train(corpus);
    case 'word':
      return WordTokenizer.train(corpus, cfg.vocabSize);
    case 'bpe':
      return BpeTokenizer.train(corpus, cfg.vocabSize, onProgress);
    case 'kmer':
      return KmerTokenizer.train(corpus, cfg.k ?? DEFAULT_KMER.k, cfg.overlap ?? DEFAULT_KMER.overlap);
    case 'bytebpe':
      throw new Error("GPT-2's byte-level tokenizer comes with its model; it is not built from a corpus.");
    default: {
      const never: never = cfg.kind;
      throw new Error(`Unknown tokenizer "${String(never)}": choose char, word, bpe or kmer.`);
    }
  }
}

export function tokenizerFromJSON(json: TokenizerJSON): Tokenizer {
  if (!json || !Array.isArray(json.vocab)) throw new Error('Tokenizer data is missing its vocabulary.');
  switch (json.kind) {
    case 'char':
      return CharTokenizer.fromJSON(json);
    case 'word':
      return WordTokenizer.fromJSON(json);
    case 'bpe':
      return BpeTokenizer.fromJSON(json);
    case 'kmer':
      return KmerTokenizer.fromJSON(json);
    case 'bytebpe':
      return ByteBpeTokenizer.fromJSON(json);
    default:
      throw new Error(`Unknown tokenizer kind "${String((json as { kind: unknown }).kind)}" in saved data.`);
  }
}

export function isTokenizerKind(s: string): s is TokenizerKind {
  return (TOKENIZER_KINDS as readonly string[]).includes(s);
}
