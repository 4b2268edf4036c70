/**
 * Attention read word by word (issue 27): a model attends token to token — letters for a
 * character model, pieces for BPE — but a person reads words. The tokens are grouped into
 * words (a new word starts where a token begins with whitespace after one that did not end
 * with it, so the space before a word belongs to it, as in GPT-2's " fox"); then what a word
 * looks at is what its tokens look at, summed over each word looked at (the key side) and
 * averaged over the word's own tokens (the query side), so each row still adds up to 1.
 *
 * Pure arithmetic on the maps the worker sends ([query][key], rows summing to 1). Tokens
 * arrive as shown to a person (whitespace made visible: "␣", "↵", "⇥"), read back here.
 */

const SHOWN: Record<string, string> = { '␣': ' ', '↵': '\n', '␍': '\r', '⇥': '\t' };

/** A shown token's text again (the visible-whitespace marks back to whitespace). */
export function tokenRaw(shown: string): string {
  return Array.from(shown, (c) => SHOWN[c] ?? c).join('');
}

export interface WordGroups {
  /** Each word as a label: its text without the whitespace around it ("↵" for a word of only line breaks). */
  words: string[];
  /** Each word's text as the tokens spell it (leading whitespace included). */
  texts: string[];
  /** The word each token belongs to. */
  wordOf: number[];
}

/** The words the tokens spell. */
export function groupWords(tokens: readonly string[]): WordGroups {
  const texts: string[] = [];
  const wordOf: number[] = [];
  let prevEndsInSpace = false;
  tokens.forEach((shown, i) => {
    const raw = tokenRaw(shown);
    const starts = i === 0 || (/^\s/u.test(raw) && !prevEndsInSpace);
    if (starts) texts.push('');
    texts[texts.length - 1] += raw;
    wordOf.push(texts.length - 1);
    prevEndsInSpace = /\s$/u.test(raw);
  });
  const words = texts.map((t) => t.trim() || (t.includes('\n') ? '↵' : '␣'));
  return { words, texts, wordOf };
}

/**
 * The word-level map of a token-level one: row a, column b = the mean over word a's tokens
 * of the attention they pay to all of word b's tokens together.
 */
export function wordMap(map: readonly (readonly number[])[], groups: WordGroups): number[][] {
  const W = groups.words.length;
  const out = Array.from({ length: W }, () => new Array<number>(W).fill(0));
  const count = new Array<number>(W).fill(0);
  groups.wordOf.forEach((a, q) => {
    count[a]!++;
    const row = map[q] ?? [];
    groups.wordOf.forEach((b, k) => (out[a]![b]! += row[k] ?? 0));
  });
  return out.map((row, a) => row.map((v) => v / Math.max(1, count[a]!)));
}
