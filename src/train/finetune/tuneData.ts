/**
 * Fine-tuning data in the common JSON Lines formats: `{"prompt","completion"}` for
 * instruction tuning, `{"prompt","chosen","rejected"}` for preferences (chosen and
 * rejected both continue the prompt). Parsed and encoded with one sentence per problem:
 * an empty file, a line that is not JSON, a missing field, characters the model's
 * tokenizer cannot encode.
 *
 * What does not fit the context is fitted, not refused, as prediction and the field's
 * trainers do (TRL's `truncation_mode="keep_end"`): a prompt keeps its end, a completion
 * too long for the room left is cut at its end, and the `Fit` report counts both, so the
 * page and the CLI can say so. A pair whose two answers are the same text teaches nothing
 * and is left out (counted too).
 */
import { FolioError, notice } from '../../i18n';
import type { Tokenizer } from '../../tokenizer';
import type { Pair } from './preference';
import type { Example } from './tuning';

export interface SftRecord {
  prompt: string;
  completion: string;
}
export interface PreferenceRecord {
  prompt: string;
  chosen: string;
  rejected: string;
}

/** Records from JSON Lines text, each with the string fields named (blank lines skipped). */
export function parseJsonl<F extends string>(text: string, fields: readonly F[]): Record<F, string>[] {
  const out: Record<F, string>[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new FolioError(notice('jsonlNotJson', { line: i + 1 }));
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FolioError(notice('jsonlNotJson', { line: i + 1 }));
    for (const f of fields) {
      if (typeof (v as Record<string, unknown>)[f] !== 'string') throw new FolioError(notice('jsonlMissing', { line: i + 1, field: f }));
    }
    out.push(Object.fromEntries(fields.map((f) => [f, (v as Record<string, string>)[f]])) as Record<F, string>);
  });
  if (out.length === 0) throw new FolioError(notice('jsonlEmpty'));
  return out;
}

/** Token ids of a record's text, refusing what the tokenizer cannot encode. */
function encodeChecked(tok: Tokenizer, text: string, line: number, prompt: string): number[] {
  const unknown = tok.unknownChars(text);
  if (unknown.length) throw new FolioError(notice('jsonlUnknownChars', { line, chars: unknown.slice(0, 8).join(' '), prompt: quote(prompt) }));
  return tok.encode(text);
}

/** What fitting the data to the context did: how many prompts kept only their end, how many completions were cut. */
export interface Fit {
  /** Examples or pairs used. */
  count: number;
  croppedPrompts: number;
  cutCompletions: number;
  /** Pairs left out because their two answers were the same text. */
  identical: number;
  /** The model's context, in tokens. */
  context: number;
}

/**
 * How many tokens of a prompt and of its completion fit one training sequence (the
 * context plus the token after it). The completion gets the room it needs as long as the
 * prompt keeps at least half the context; the prompt keeps its end (prediction crops the
 * same way), the completion its start.
 */
export function fitLengths(prompt: number, completion: number, blockSize: number): { prompt: number; completion: number } {
  const room = blockSize + 1;
  const keep = Math.min(prompt, Math.max(Math.min(prompt, Math.max(1, Math.floor(blockSize / 2))), room - completion));
  return { prompt: keep, completion: Math.min(completion, room - keep) };
}

function checkPrompt(prompt: number[], line: number): void {
  if (prompt.length === 0) throw new FolioError(notice('jsonlMissing', { line, field: 'prompt' }));
}

/** The start of an example's prompt, to find it by in a message. */
function quote(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 30 ? `${t.slice(0, 30)}…` : t;
}

const emptyFit = (blockSize: number): Fit => ({ count: 0, croppedPrompts: 0, cutCompletions: 0, identical: 0, context: blockSize });

export function encodeSft(records: readonly SftRecord[], tok: Tokenizer, blockSize: number): { examples: Example[]; fit: Fit } {
  const fit = emptyFit(blockSize);
  const examples = records.map((r, i) => {
    const prompt = encodeChecked(tok, r.prompt, i + 1, r.prompt);
    checkPrompt(prompt, i + 1);
    const completion = encodeChecked(tok, r.completion, i + 1, r.prompt);
    if (completion.length === 0) throw new FolioError(notice('jsonlMissing', { line: i + 1, field: 'completion' }));
    const n = fitLengths(prompt.length, completion.length, blockSize);
    if (n.prompt < prompt.length) fit.croppedPrompts++;
    if (n.completion < completion.length) fit.cutCompletions++;
    return { prompt: prompt.slice(prompt.length - n.prompt), completion: completion.slice(0, n.completion) };
  });
  return { examples, fit: { ...fit, count: examples.length } };
}

export function encodePairs(records: readonly PreferenceRecord[], tok: Tokenizer, blockSize: number): { pairs: Pair[]; fit: Fit } {
  const fit = emptyFit(blockSize);
  const pairs: Pair[] = [];
  records.forEach((r, i) => {
    const prompt = encodeChecked(tok, r.prompt, i + 1, r.prompt);
    checkPrompt(prompt, i + 1);
    const [chosen, rejected] = [encodeChecked(tok, r.chosen, i + 1, r.prompt), encodeChecked(tok, r.rejected, i + 1, r.prompt)];
    if (!chosen.length || !rejected.length) throw new FolioError(notice('jsonlMissing', { line: i + 1, field: chosen.length ? 'rejected' : 'chosen' }));
    // Both answers are cut to the same room, the longer one's.
    const n = fitLengths(prompt.length, Math.max(chosen.length, rejected.length), blockSize);
    if (n.prompt < prompt.length) fit.croppedPrompts++;
    if (n.completion < Math.max(chosen.length, rejected.length)) fit.cutCompletions++;
    const [c, rj] = [chosen.slice(0, n.completion), rejected.slice(0, n.completion)];
    if (c.length === rj.length && c.every((t, k) => t === rj[k])) return void fit.identical++; // the same answer twice: nothing to prefer
    pairs.push({ prompt: prompt.slice(prompt.length - n.prompt), chosen: c, rejected: rj });
  });
  return { pairs, fit: { ...fit, count: pairs.length } };
}

/** Parse and encode a file's text for a method. */
export function readTuneData(
  text: string,
  method: 'sft' | 'dpo' | 'rlhf',
  tok: Tokenizer,
  blockSize: number,
): { examples?: Example[]; pairs?: Pair[]; fit: Fit } {
  if (method === 'sft') return encodeSft(parseJsonl(text, ['prompt', 'completion']), tok, blockSize);
  return encodePairs(parseJsonl(text, ['prompt', 'chosen', 'rejected']), tok, blockSize);
}
