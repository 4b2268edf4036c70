/**
 * GPT-2's tokenizer: byte-level BPE (Radford et al. 2019), as Hugging Face's tokenizer.json
 * describes it (a BPE model after a ByteLevel pre-tokenizer, ByteLevel decoder).
 *
 * 1. Special tokens (`<|endoftext|>`) written in the text are cut out first and become their
 *    own ids, as `tokenizers` does with added tokens.
 * 2. The rest is cut by GPT-2's pattern: the contractions 's 't 're 've 'm 'll 'd, a run of
 *    letters with at most one space before it, a run of digits likewise, a run of other
 *    symbols likewise, and whitespace (a run before a word leaves its last space to the word).
 * 3. Each piece becomes its UTF-8 bytes, and each byte a printable character (`byteChars`:
 *    the printable Latin-1 bytes stand for themselves, the other 68 are moved to U+0100…, so
 *    a space is "Ġ" and a newline "Ċ"); the vocabulary is written in those characters.
 * 4. Merges apply by rank, lowest first, every occurrence of the best pair left to right,
 *    until no adjacent pair has a rank.
 *
 * So every text has ids (any byte is a token), and decoding joins the tokens' bytes and
 * reads them as UTF-8. One token may hold part of a character (an emoji is 2–3 tokens): its
 * own text (`tokenText`) then shows U+FFFD.
 *
 * Not here: reading tokenizer.json or vocab.json + merges.txt (checkpoint/hfByteBpe.ts checks
 * outside files before they become a TokenizerJSON). `\s` is JavaScript's, as in the reference
 * encoder Folio is tested against (gpt-3-encoder); Python's differs on a few control and
 * format characters (U+001C–U+001F, U+0085, U+FEFF).
 */
import { visibleWhitespace, type Tokenizer, type TokenizerJSON } from './tokenizer';

/** GPT-2's pre-tokenization pattern (its encoder.py), with Unicode classes. */
export const GPT2_PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`;

/** The most tokens a byte-level vocabulary may have (ids pack two to a pair key below 2⁵³). */
export const BYTE_BPE_MAX_VOCAB = 1 << 20;

/** The character that stands for each byte (GPT-2's bytes_to_unicode). */
export function byteChars(): string[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const out: string[] = [];
  let shifted = 0;
  for (let b = 0; b < 256; b++) out.push(String.fromCharCode(printable(b) ? b : 256 + shifted++));
  return out;
}

const BYTE_CHARS = byteChars();
const CHAR_BYTE = new Map(BYTE_CHARS.map((c, b) => [c, b] as const));
const pairKey = (a: number, b: number) => a * BYTE_BPE_MAX_VOCAB + b;
const utf8 = new TextEncoder();
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class ByteBpeTokenizer implements Tokenizer {
  readonly kind = 'bytebpe' as const;
  readonly unkId = undefined;
  private readonly index = new Map<string, number>();
  /** Rank of each mergeable pair, and the id the merge makes. */
  private readonly rank = new Map<number, number>();
  private readonly made: Int32Array;
  /** The id of each single byte's token (−1: the vocabulary lacks it, the byte is dropped). */
  private readonly byteId = new Int32Array(256).fill(-1);
  private readonly specialText = new Map<string, number>();
  private readonly specialSplit?: RegExp;
  private readonly pattern = new RegExp(GPT2_PATTERN, 'gu');
  private readonly cache = new Map<string, number[]>();
  private texts?: string[];

  private constructor(
    private readonly vocab: string[],
    private readonly merges: [number, number][],
    private readonly special: number[],
  ) {
    vocab.forEach((s, i) => {
      if (!this.index.has(s)) this.index.set(s, i);
    });
    this.made = new Int32Array(merges.length);
    merges.forEach(([a, b], r) => {
      const id = this.index.get(vocab[a]! + vocab[b]!);
      if (id === undefined) throw new Error(`Byte-level BPE data is inconsistent: merge ${r} makes a token the vocabulary lacks.`);
      const key = pairKey(a, b);
      if (!this.rank.has(key)) this.rank.set(key, r); // a repeated merge keeps its first (lowest) rank
      this.made[r] = id;
    });
    BYTE_CHARS.forEach((c, b) => (this.byteId[b] = this.index.get(c) ?? -1));
    for (const id of special) this.specialText.set(vocab[id]!, id);
    if (special.length) {
      const alternatives = [...this.specialText.keys()].sort((x, y) => y.length - x.length).map(escapeRegex);
      this.specialSplit = new RegExp(`(${alternatives.join('|')})`, 'u');
    }
  }

  /** Check and adopt a TokenizerJSON of kind `bytebpe` (ids in range, merges of existing tokens). */
  static fromJSON(json: TokenizerJSON): ByteBpeTokenizer {
    const vocab = json.vocab;
    const merges = json.merges ?? [];
    const special = json.special ?? [];
    if (vocab.length > BYTE_BPE_MAX_VOCAB) throw new Error(`Byte-level BPE data has ${vocab.length} tokens; at most ${BYTE_BPE_MAX_VOCAB} are read.`);
    if (!vocab.every((s) => typeof s === 'string' && s.length > 0)) throw new Error('Byte-level BPE data has an empty or missing token.');
    const id = (x: unknown) => Number.isInteger(x) && (x as number) >= 0 && (x as number) < vocab.length;
    if (!Array.isArray(merges) || merges.length > vocab.length || !merges.every((m) => Array.isArray(m) && m.length === 2 && id(m[0]) && id(m[1])))
      throw new Error('Byte-level BPE data has a merge of unknown tokens.');
    if (!Array.isArray(special) || !special.every(id)) throw new Error('Byte-level BPE data names a special token outside the vocabulary.');
    return new ByteBpeTokenizer(
      [...vocab],
      merges.map(([a, b]) => [a, b]),
      [...special],
    );
  }

  get vocabSize(): number {
    return this.vocab.length;
  }

  /** The id of a token written as its byte-level string ("Ġfox"), or of a special token. */
  idOf(token: string): number | undefined {
    return this.index.get(token);
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    const parts = this.specialSplit ? text.split(this.specialSplit) : [text];
    parts.forEach((part, i) => {
      // split() with one capture group: odd parts are the special tokens themselves.
      if (i % 2 === 1) return void ids.push(this.specialText.get(part)!);
      for (const m of part.matchAll(this.pattern)) for (const id of this.encodePiece(m[0])) ids.push(id);
    });
    return ids;
  }

  /** One pre-tokenized piece: its bytes, merged by rank. */
  private encodePiece(piece: string): number[] {
    const hit = this.cache.get(piece);
    if (hit) return hit;
    let seq: number[] = [];
    for (const b of utf8.encode(piece)) if (this.byteId[b]! >= 0) seq.push(this.byteId[b]!);
    while (seq.length > 1) {
      let best = -1;
      for (let i = 0; i + 1 < seq.length; i++) {
        const r = this.rank.get(pairKey(seq[i]!, seq[i + 1]!));
        if (r !== undefined && (best < 0 || r < best)) best = r;
      }
      if (best < 0) break;
      const [a, b] = this.merges[best]!;
      const next: number[] = [];
      for (let i = 0; i < seq.length; i++) {
        if (i + 1 < seq.length && seq[i] === a && seq[i + 1] === b) {
          next.push(this.made[best]!);
          i++;
        } else next.push(seq[i]!);
      }
      seq = next;
    }
    if (this.cache.size < 100_000) this.cache.set(piece, seq);
    return seq;
  }

  /** The bytes a token stands for (a special token: its text in UTF-8). */
  bytesOf(id: number): Uint8Array {
    const s = this.vocab[id] ?? '';
    if (this.specialText.get(s) === id) return utf8.encode(s);
    const out: number[] = [];
    for (const ch of s) {
      const b = CHAR_BYTE.get(ch);
      if (b !== undefined) out.push(b);
      else for (const x of utf8.encode(ch)) out.push(x); // not byte-level (a foreign added token): its own text
    }
    return Uint8Array.from(out);
  }

  decode(ids: ArrayLike<number>): string {
    const parts: Uint8Array[] = [];
    let n = 0;
    for (let i = 0; i < ids.length; i++) {
      const b = this.bytesOf(ids[i]!);
      parts.push(b);
      n += b.length;
    }
    const all = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return new TextDecoder('utf-8', { fatal: false }).decode(all);
  }

  /** A token's text; computed once for the whole vocabulary (the word beam reads it for every id). */
  tokenText(id: number): string {
    this.texts ??= this.vocab.map((_, i) => this.decode([i]));
    return this.texts[id] ?? '';
  }

  tokenDisplay(id: number): string {
    return visibleWhitespace(this.tokenText(id));
  }

  /** Characters with a byte the vocabulary lacks (none for GPT-2's: every byte is a token). */
  unknownChars(text: string): string[] {
    if (this.byteId.every((id) => id >= 0)) return [];
    const out = new Set<string>();
    for (const ch of text) if ([...utf8.encode(ch)].some((b) => this.byteId[b]! < 0)) out.add(ch);
    return [...out];
  }

  toJSON(): TokenizerJSON {
    return {
      kind: 'bytebpe',
      vocab: [...this.vocab],
      merges: this.merges.map(([a, b]) => [a, b]),
      ...(this.special.length ? { special: [...this.special] } : {}),
    };
  }
}
