/**
 * Byte-pair encoding trained on the corpus (Sennrich et al. 2016, as in GPT-2, but on
 * code points instead of bytes so every token is readable text).
 *
 * Training starts from the corpus's alphabet and repeatedly merges the most frequent
 * adjacent pair of tokens until the vocabulary reaches the requested size. Text is
 * first cut into chunks (a word with its leading space, a number, punctuation,
 * whitespace) so merges never cross word boundaries — that keeps tokens like " dog"
 * and makes "the next word" a sequence of whole tokens. Ties between equally frequent
 * pairs are broken by id, so training is deterministic.
 */
import { alphabetOf, visibleWhitespace, type Tokenizer, type TokenizerJSON } from './tokenizer';

const CHUNK = / ?[\p{L}\p{M}]+| ?\p{N}+| ?[^\s\p{L}\p{M}\p{N}]+|\s+(?!\S)|\s+/gu;

export function splitChunks(text: string): string[] {
  return text.match(CHUNK) ?? [];
}

const KEY = 1 << 16; // ids stay below 65 536, so a pair packs into one number
const pairKey = (a: number, b: number) => a * KEY + b;

export const BPE_MAX_VOCAB = 16384;

export class BpeTokenizer implements Tokenizer {
  readonly kind = 'bpe' as const;
  readonly unkId = undefined;
  private readonly charIndex = new Map<string, number>();
  private readonly rank = new Map<number, number>();
  private readonly cache = new Map<string, number[]>();

  private constructor(
    private readonly vocab: string[],
    private readonly merges: [number, number][],
    private readonly alphabetSize: number,
  ) {
    for (let i = 0; i < alphabetSize; i++) this.charIndex.set(vocab[i]!, i);
    merges.forEach(([a, b], r) => this.rank.set(pairKey(a, b), r));
  }

  /** Learn merges until `vocabSize` tokens (or until no pair occurs twice). */
  /** `onProgress(tokens, target)` hears how far the merges got, now and then (a long build stays visibly alive). */
  static train(corpus: string, vocabSize: number, onProgress?: (tokens: number, target: number) => void): BpeTokenizer {
    const alphabet = alphabetOf(corpus);
    if (!Number.isInteger(vocabSize) || vocabSize > BPE_MAX_VOCAB) {
      throw new Error(`BPE vocabulary size must be a whole number up to ${BPE_MAX_VOCAB} (got ${vocabSize}).`);
    }
    if (vocabSize < alphabet.length) {
      throw new Error(
        `BPE vocabulary size ${vocabSize} is smaller than the corpus's ${alphabet.length} distinct characters; choose at least ${alphabet.length}.`,
      );
    }
    const index = new Map(alphabet.map((ch, i) => [ch, i] as const));
    const freq = new Map<string, number>();
    for (const c of splitChunks(corpus)) freq.set(c, (freq.get(c) ?? 0) + 1);
    const words: number[][] = [];
    const counts: number[] = [];
    for (const [c, n] of freq) {
      words.push(Array.from(c, (ch) => index.get(ch)!));
      counts.push(n);
    }

    const pairCount = new Map<number, number>();
    const where = new Map<number, Set<number>>();
    const heap = new PairHeap();
    const bump = (key: number, delta: number, w: number) => {
      const n = (pairCount.get(key) ?? 0) + delta;
      pairCount.set(key, n);
      if (delta > 0) {
        let s = where.get(key);
        if (!s) where.set(key, (s = new Set()));
        s.add(w);
      }
      heap.push(n, key);
    };
    words.forEach((seq, w) => {
      for (let i = 0; i + 1 < seq.length; i++) bump(pairKey(seq[i]!, seq[i + 1]!), counts[w]!, w);
    });

    const vocab = [...alphabet];
    const merges: [number, number][] = [];
    while (vocab.length < vocabSize) {
      const top = heap.popValid(pairCount);
      if (!top || top.count < 2) break; // nothing left worth merging
      const a = Math.floor(top.key / KEY);
      const b = top.key % KEY;
      const id = vocab.length;
      vocab.push(vocab[a]! + vocab[b]!);
      merges.push([a, b]);
      for (const w of where.get(top.key) ?? []) {
        const seq = words[w]!;
        const n = counts[w]!;
        for (let i = 0; i + 1 < seq.length; i++) bump(pairKey(seq[i]!, seq[i + 1]!), -n, w);
        const next = mergePair(seq, a, b, id);
        words[w] = next;
        for (let i = 0; i + 1 < next.length; i++) bump(pairKey(next[i]!, next[i + 1]!), n, w);
      }
      where.delete(top.key);
      if (onProgress && vocab.length % 64 === 0) onProgress(vocab.length, vocabSize);
    }
    return new BpeTokenizer(vocab, merges, alphabet.length);
  }

  static fromJSON(json: TokenizerJSON): BpeTokenizer {
    const merges = json.merges ?? [];
    const alphabetSize = json.vocab.length - merges.length;
    if (alphabetSize < 0) throw new Error('BPE tokenizer data is inconsistent: more merges than tokens.');
    return new BpeTokenizer(
      [...json.vocab],
      merges.map(([a, b]) => [a, b]),
      alphabetSize,
    );
  }

  get vocabSize(): number {
    return this.vocab.length;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const chunk of splitChunks(text)) {
      let enc = this.cache.get(chunk);
      if (!enc) {
        enc = this.encodeChunk(chunk);
        if (this.cache.size < 100_000) this.cache.set(chunk, enc);
      }
      for (const id of enc) ids.push(id);
    }
    return ids;
  }

  /** Apply merges in the order they were learned: always the lowest-ranked pair first. */
  private encodeChunk(chunk: string): number[] {
    let seq: number[] = [];
    for (const ch of chunk) {
      const id = this.charIndex.get(ch);
      if (id !== undefined) seq.push(id);
    }
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < seq.length; i++) {
        const r = this.rank.get(pairKey(seq[i]!, seq[i + 1]!));
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) return seq;
      const [a, b] = this.merges[bestRank]!;
      seq = mergePair(seq, a, b, this.alphabetSize + bestRank);
    }
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) s += this.vocab[ids[i]!] ?? '';
    return s;
  }

  tokenText(id: number): string {
    return this.vocab[id] ?? '';
  }

  tokenDisplay(id: number): string {
    return visibleWhitespace(this.tokenText(id));
  }

  unknownChars(text: string): string[] {
    const out = new Set<string>();
    for (const ch of text) if (!this.charIndex.has(ch)) out.add(ch);
    return [...out];
  }

  toJSON(): TokenizerJSON {
    return { kind: 'bpe', vocab: [...this.vocab], merges: this.merges.map(([a, b]) => [a, b]) };
  }
}

function mergePair(seq: number[], a: number, b: number, id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < seq.length; i++) {
    if (i + 1 < seq.length && seq[i] === a && seq[i + 1] === b) {
      out.push(id);
      i++;
    } else out.push(seq[i]!);
  }
  return out;
}

/** Max-heap of (count, pair) with lazy deletion: stale entries are skipped on pop. */
class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];

  push(count: number, key: number): void {
    if (count <= 0) return;
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.above(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  popValid(current: Map<number, number>): { count: number; key: number } | undefined {
    while (this.counts.length > 0) {
      const count = this.counts[0]!;
      const key = this.keys[0]!;
      const lastC = this.counts.pop()!;
      const lastK = this.keys.pop()!;
      if (this.counts.length > 0) {
        this.counts[0] = lastC;
        this.keys[0] = lastK;
        this.sift(0);
      }
      if (current.get(key) === count) return { count, key };
    }
    return undefined;
  }

  /** Higher count first; equal counts → smaller pair key first (determinism). */
  private above(i: number, j: number): boolean {
    const ci = this.counts[i]!;
    const cj = this.counts[j]!;
    return ci > cj || (ci === cj && this.keys[i]! < this.keys[j]!);
  }

  private sift(i: number): void {
    const n = this.counts.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.above(l, m)) m = l;
      if (r < n && this.above(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j]!, this.counts[i]!];
    [this.keys[i], this.keys[j]] = [this.keys[j]!, this.keys[i]!];
  }
}
