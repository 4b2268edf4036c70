/** Character tokenizer: one token per Unicode code point seen in the corpus. */
import { alphabetOf, visibleWhitespace, type Tokenizer, type TokenizerJSON } from './tokenizer';

export class CharTokenizer implements Tokenizer {
  readonly kind = 'char' as const;
  readonly unkId = undefined;
  private readonly index = new Map<string, number>();

  private constructor(private readonly vocab: string[]) {
    vocab.forEach((ch, i) => this.index.set(ch, i));
  }

  static train(corpus: string): CharTokenizer {
    return new CharTokenizer(alphabetOf(corpus));
  }

  static fromJSON(json: TokenizerJSON): CharTokenizer {
    return new CharTokenizer([...json.vocab]);
  }

  get vocabSize(): number {
    return this.vocab.length;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const ch of text) {
      const id = this.index.get(ch);
      if (id !== undefined) ids.push(id); // unknown characters are dropped (see unknownChars)
    }
    return ids;
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
    for (const ch of text) if (!this.index.has(ch)) out.add(ch);
    return [...out];
  }

  toJSON(): TokenizerJSON {
    return { kind: 'char', vocab: [...this.vocab] };
  }
}
