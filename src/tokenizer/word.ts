/**
 * Word tokenizer: words, single punctuation marks and whitespace runs are tokens.
 *
 * The vocabulary is capped (`maxVocab`). It holds, in id order: the unknown token,
 * every character of the corpus (most frequent first), then the most frequent
 * multi-character pieces. A word that did not make the cut is spelled letter by
 * letter, so decode(encode(s)) === s still holds for any text in the corpus's
 * alphabet; only characters the corpus never contained become the unknown token.
 */
import { compareCodePoints, visibleWhitespace, type Tokenizer, type TokenizerJSON } from './tokenizer';

/** Words (letters, marks, digits), whitespace runs, or one other character. */
const PIECE = /[\p{L}\p{M}\p{N}]+|\s+|[^\s\p{L}\p{M}\p{N}]/gu;

export function splitWords(text: string): string[] {
  return text.match(PIECE) ?? [];
}

const UNK_TEXT = '\uFFFD';

export class WordTokenizer implements Tokenizer {
  readonly kind = 'word' as const;
  readonly unkId = 0;
  private readonly index = new Map<string, number>();

  private constructor(private readonly vocab: string[]) {
    // id 0 is the unknown token; it is not reachable from text.
    for (let i = 1; i < vocab.length; i++) this.index.set(vocab[i]!, i);
  }

  static train(corpus: string, maxVocab = 2048): WordTokenizer {
    const charFreq = new Map<string, number>();
    for (const ch of corpus) charFreq.set(ch, (charFreq.get(ch) ?? 0) + 1);
    const pieceFreq = new Map<string, number>();
    for (const p of splitWords(corpus)) {
      if ([...p].length > 1) pieceFreq.set(p, (pieceFreq.get(p) ?? 0) + 1);
    }
    const byFreq = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0])).map((e) => e[0]);
    const room = Math.max(1, maxVocab - 1);
    const chars = byFreq(charFreq).slice(0, room);
    const words = byFreq(pieceFreq).slice(0, Math.max(0, room - chars.length));
    return new WordTokenizer([UNK_TEXT, ...chars, ...words]);
  }

  static fromJSON(json: TokenizerJSON): WordTokenizer {
    return new WordTokenizer([...json.vocab]);
  }

  get vocabSize(): number {
    return this.vocab.length;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const piece of splitWords(text)) {
      const id = this.index.get(piece);
      if (id !== undefined) {
        ids.push(id);
        continue;
      }
      for (const ch of piece) ids.push(this.index.get(ch) ?? this.unkId);
    }
    return ids;
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) s += this.vocab[ids[i]!] ?? UNK_TEXT;
    return s;
  }

  tokenText(id: number): string {
    return this.vocab[id] ?? UNK_TEXT;
  }

  tokenDisplay(id: number): string {
    return id === this.unkId ? '<unk>' : visibleWhitespace(this.tokenText(id));
  }

  unknownChars(text: string): string[] {
    const out = new Set<string>();
    for (const ch of text) if (!this.index.has(ch)) out.add(ch);
    return [...out];
  }

  toJSON(): TokenizerJSON {
    return { kind: 'word', vocab: [...this.vocab], unkId: this.unkId };
  }
}
