/**
 * Folio's tokenizers as a `tokenizer.json` that Hugging Face's `tokenizers` library reads
 * (and back). All three kinds fit its pieces:
 *
 * - char → a BPE model with no merges and no pre-tokenizer: the text is cut into code
 *   points and each is looked up; characters outside the vocabulary are dropped, as
 *   Folio drops them.
 * - bpe → a BPE model with Folio's merges in the order they were learned (the lowest
 *   rank is applied first, as in Folio), after a Split pre-tokenizer with Folio's chunk
 *   regex (a word with its leading space, a number, punctuation, whitespace). Folio's BPE
 *   works on code points, not bytes: there is no byte-level step. Merges are written as
 *   pairs of strings (`[["a", "b"], …]`, read by tokenizers ≥ 0.20), since tokens may hold
 *   spaces.
 * - word → a WordLevel model after a Split with Folio's word regex. One difference: a
 *   word outside the vocabulary is one unknown token there; Folio spells it letter by
 *   letter.
 * - kmer → a WordLevel model over k-letter pieces, after a normalizer that keeps only the
 *   bases, in capitals, and — for overlapping k-mers — spells out the k-mer at every base
 *   (hfKmer.ts says how), so the ids are the model's own for any text.
 *
 * The decoder is Fuse (tokens joined with nothing between them), so decode(encode(s)) is s
 * (overlapping k-mers: Fuse, then every k-mer after the first gives only its last base).
 */
import type { TokenizerJSON } from '../tokenizer';
import { notice } from '../i18n';
import { CheckpointError } from './checkpoint';
import { byteBpeFromTokenizer, byteBpeToTokenizerJson, isByteLevel } from './hfByteBpe';
import { isOverlapNormalizer, kmerDecoder, kmerNormalizer, kmerPattern, kmerPreTokenizer } from './hfKmer';

/** Folio's BPE chunks (tokenizer/bpe.ts CHUNK), in a syntax both JS (flag u) and Oniguruma read. */
export const BPE_CHUNK_PATTERN = String.raw` ?[\p{L}\p{M}]+| ?\p{N}+| ?[^\s\p{L}\p{M}\p{N}]+|\s+(?!\S)|\s+`;
/** Folio's word pieces (tokenizer/word.ts PIECE). */
export const WORD_PIECE_PATTERN = String.raw`[\p{L}\p{M}\p{N}]+|\s+|[^\s\p{L}\p{M}\p{N}]`;

const split = (pattern: string) => ({ type: 'Split', pattern: { Regex: pattern }, behavior: 'Isolated', invert: false });

/** The unknown token's text (Folio's word tokenizer, id 0). */
const UNK = '\uFFFD';

export interface HfTokenizerJSON {
  version: string;
  truncation: null;
  padding: null;
  added_tokens: unknown[];
  normalizer: unknown;
  pre_tokenizer: unknown;
  post_processor: null;
  decoder: unknown;
  model: Record<string, unknown>;
}

function vocabMap(vocab: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  // A string that occurs twice keeps its first id (BPE can learn the same text by two
  // routes, rarely); the later id is then unreachable from text, in Folio too.
  vocab.forEach((s, i) => {
    if (!(s in out)) out[s] = i;
  });
  return out;
}

export function toHfTokenizer(t: TokenizerJSON): HfTokenizerJSON {
  const base = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [] as unknown[],
    normalizer: null,
    post_processor: null,
    decoder: { type: 'Fuse' },
  };
  const bpe = (merges: [string, string][]) => ({
    type: 'BPE',
    dropout: null,
    unk_token: null,
    continuing_subword_prefix: null,
    end_of_word_suffix: null,
    fuse_unk: false,
    byte_fallback: false,
    ignore_merges: false,
    vocab: vocabMap(t.vocab),
    merges,
  });
  switch (t.kind) {
    case 'bytebpe':
      return byteBpeToTokenizerJson(t) as unknown as HfTokenizerJSON; // GPT-2's own, unchanged (hfByteBpe.ts)
    case 'char':
      return { ...base, pre_tokenizer: null, model: bpe([]) };
    case 'bpe':
      return { ...base, pre_tokenizer: split(BPE_CHUNK_PATTERN), model: bpe((t.merges ?? []).map(([a, b]) => [t.vocab[a]!, t.vocab[b]!])) };
    case 'word':
      return {
        ...base,
        pre_tokenizer: split(WORD_PIECE_PATTERN),
        model: { type: 'WordLevel', vocab: vocabMap(t.vocab), unk_token: t.vocab[t.unkId ?? 0] ?? UNK },
      };
    case 'kmer': {
      const k = t.k ?? 1;
      const overlap = t.overlap === true;
      return {
        ...base,
        normalizer: kmerNormalizer(k, overlap),
        pre_tokenizer: kmerPreTokenizer(k),
        decoder: kmerDecoder(k, overlap),
        model: { type: 'WordLevel', vocab: vocabMap(t.vocab), unk_token: t.vocab[t.unkId ?? 0] ?? UNK },
      };
    }
  }
}

const bad = (reason: string) => new CheckpointError(notice('hfInvalid', { reason }));

/** Read back a tokenizer.json that toHfTokenizer wrote (the kinds Folio has). */
export function fromHfTokenizer(json: unknown): TokenizerJSON {
  if (isByteLevel(json)) return byteBpeFromTokenizer(json); // GPT-2's (hfByteBpe.ts)
  const m = (json as { model?: Record<string, unknown> } | null)?.model;
  const pre = (json as { pre_tokenizer?: unknown } | null)?.pre_tokenizer;
  if (!m || typeof m.vocab !== 'object' || m.vocab === null) throw bad('tokenizer.json has no model vocabulary');
  const entries = Object.entries(m.vocab as Record<string, unknown>);
  const vocab: string[] = [];
  for (const [s, id] of entries) {
    if (!Number.isInteger(id) || (id as number) < 0 || (id as number) >= entries.length || vocab[id as number] !== undefined)
      throw bad('tokenizer.json ids are not 0…size−1, each once');
    vocab[id as number] = s;
  }
  // k-mers (toHfTokenizer's 'kmer'): a WordLevel over "[ACGT]{k}" pieces, overlapping when the
  // normalizer spells them out; ".{k}" is how exports before it wrote tiled k-mers.
  const regex = String((pre as { pattern?: { Regex?: unknown } } | null)?.pattern?.Regex ?? '');
  const kmerK = /^(?:\[ACGT\]|\.)\{([1-6])\}$/.exec(regex)?.[1];
  if (m.type === 'WordLevel' && kmerK) {
    const k = Number(kmerK);
    const overlap = regex === kmerPattern(k) && isOverlapNormalizer((json as { normalizer?: unknown }).normalizer);
    return { kind: 'kmer', vocab, k, overlap, unkId: vocab.length - 1 };
  }
  if (m.type === 'WordLevel') {
    const unkId = vocab.indexOf(String(m.unk_token ?? UNK));
    if (unkId !== 0) throw bad('the unknown token must be id 0');
    return { kind: 'word', vocab, unkId: 0 };
  }
  if (m.type !== 'BPE') throw bad(`tokenizer model "${String(m.type)}" is not one Folio has`);
  const pairs = Array.isArray(m.merges) ? (m.merges as unknown[]) : [];
  if (pairs.length === 0 && pre === null) return { kind: 'char', vocab };
  const index = new Map(vocab.map((s, i) => [s, i] as const));
  const alphabet = vocab.length - pairs.length;
  const merges = pairs.map((p, r): [number, number] => {
    const [a, b] = Array.isArray(p) ? (p as string[]) : String(p).split(' ');
    const ia = index.get(a ?? '');
    const ib = index.get(b ?? '');
    if (ia === undefined || ib === undefined || vocab[alphabet + r] !== a! + b!) throw bad(`merge ${r} does not make token ${alphabet + r}`);
    return [ia, ib];
  });
  return { kind: 'bpe', vocab, merges };
}
