/** Build a tokenizer from a corpus, or restore one from a checkpoint. */
import { BpeTokenizer } from './bpe';
import { CharTokenizer } from './char';
import type { Tokenizer, TokenizerJSON, TokenizerKind } from './tokenizer';
import { WordTokenizer } from './word';

export type { Tokenizer, TokenizerJSON, TokenizerKind } from './tokenizer';

export interface TokenizerConfig {
  kind: TokenizerKind;
  /** Vocabulary size for `bpe` (target) and `word` (cap); ignored by `char`. */
  vocabSize: number;
}

export const TOKENIZER_KINDS: readonly TokenizerKind[] = ['char', 'word', 'bpe'];

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
    default: {
      const never: never = cfg.kind;
      throw new Error(`Unknown tokenizer "${String(never)}": choose char, word or bpe.`);
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
    default:
      throw new Error(`Unknown tokenizer kind "${String((json as { kind: unknown }).kind)}" in saved data.`);
  }
}

export function isTokenizerKind(s: string): s is TokenizerKind {
  return (TOKENIZER_KINDS as readonly string[]).includes(s);
}
