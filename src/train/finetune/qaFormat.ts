/**
 * The prompt format of instruction pairs: what every prompt has around its question and
 * what every answer ends with, read off the pairs themselves. The bundled fox pairs are
 * "who is lazy? " → "the dog.": the question, then "? "; the answer ends with ".". Pairs
 * written "Q: …\nA:" → " …\n" give "Q: " before and "\nA:" after. A model answers in the
 * format it was tuned in, so the chat box asks in it (and stops at the answer's end), and
 * a pair typed in the panel is written in it.
 */

export interface PromptFormat {
  /** Before the question (a label such as "Q: "; empty for the fox pairs). */
  before: string;
  /** After the question ("? ", "\nA:"). */
  after: string;
  /** What the answers start with (a space after "A:"; usually empty). */
  lead: string;
  /** What the answers end with ("."; empty when they share no end). */
  end: string;
}

export const PLAIN_FORMAT: PromptFormat = { before: '', after: ' ', lead: '', end: '' };

function commonPrefix(xs: readonly string[]): string {
  if (!xs.length) return '';
  let n = 0;
  while (n < xs[0]!.length && xs.every((x) => x[n] === xs[0]![n])) n++;
  return xs[0]!.slice(0, n);
}

const reversed = (s: string) => [...s].reverse().join('');
const commonSuffix = (xs: readonly string[]) => reversed(commonPrefix(xs.map(reversed)));

/**
 * The format `examples` share. A shared start counts only up to a label's colon ("Q: "),
 * and a shared end only from its first mark that is not part of a word: questions that
 * all begin with "who " or end with "dog? " share words, not a format.
 */
export function inferFormat(examples: readonly { prompt: string; completion: string }[]): PromptFormat {
  if (examples.length < 2) return examples.length ? { ...PLAIN_FORMAT, after: examples[0]!.prompt.match(/[^\p{L}\p{N}]*$/u)![0] || ' ' } : PLAIN_FORMAT;
  const prompts = examples.map((e) => e.prompt);
  const start = commonPrefix(prompts);
  const colon = start.lastIndexOf(':');
  const before = colon < 0 ? '' : start.slice(0, colon + 1) + (start.slice(colon + 1).match(/^\s*/)?.[0] ?? '');
  const after = commonSuffix(prompts.map((p) => p.slice(before.length))).replace(/^[\p{L}\p{N}]+/u, '');
  const completions = examples.map((e) => e.completion);
  const end = commonSuffix(completions).replace(/^[\p{L}\p{N} ]+/u, '');
  const lead = commonPrefix(completions).match(/^\s*/)![0];
  return { before, after: after || ' ', lead, end };
}

/** A question asked in `f`: the person's words between the format's start and end (marks they typed that the format adds are not doubled). */
export function formatQuestion(f: PromptFormat, question: string): string {
  let q = question.trim();
  const mark = f.after.trim();
  if (mark && q.endsWith(mark)) q = q.slice(0, -mark.length).trimEnd();
  return `${f.before}${q}${f.after}`;
}

/** An answer written in `f`: it starts and ends as the tuned answers do. */
export function formatAnswer(f: PromptFormat, answer: string): string {
  let a = answer.trim();
  const mark = f.end.trim();
  if (mark && a.endsWith(mark)) a = a.slice(0, -mark.length);
  return `${f.lead}${a}${f.end}`;
}
