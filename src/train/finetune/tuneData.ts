/**
 * Fine-tuning data in the common JSON Lines formats: `{"prompt","completion"}` for
 * instruction tuning, `{"prompt","chosen","rejected"}` for preferences (chosen and
 * rejected both continue the prompt). Parsed and encoded with one sentence per problem:
 * an empty file, a line that is not JSON, a missing field, characters the model's
 * tokenizer cannot encode, a prompt longer than the context.
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

/** A prompt that fills the context leaves no room to score a continuation. */
function checkPrompt(prompt: number[], blockSize: number, line: number, text: string): void {
  if (prompt.length === 0 || prompt.length >= blockSize)
    throw new FolioError(notice('jsonlPromptLength', { line, tokens: prompt.length, context: blockSize, prompt: quote(text) }));
}

/** The start of an example's prompt, to find it by in a message. */
function quote(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 30 ? `${t.slice(0, 30)}…` : t;
}

export function encodeSft(records: readonly SftRecord[], tok: Tokenizer, blockSize: number): Example[] {
  return records.map((r, i) => {
    const prompt = encodeChecked(tok, r.prompt, i + 1, r.prompt);
    checkPrompt(prompt, blockSize, i + 1, r.prompt);
    const completion = encodeChecked(tok, r.completion, i + 1, r.prompt);
    if (completion.length === 0) throw new FolioError(notice('jsonlMissing', { line: i + 1, field: 'completion' }));
    return { prompt, completion };
  });
}

export function encodePairs(records: readonly PreferenceRecord[], tok: Tokenizer, blockSize: number): Pair[] {
  return records.map((r, i) => {
    const prompt = encodeChecked(tok, r.prompt, i + 1, r.prompt);
    checkPrompt(prompt, blockSize, i + 1, r.prompt);
    const [chosen, rejected] = [encodeChecked(tok, r.chosen, i + 1, r.prompt), encodeChecked(tok, r.rejected, i + 1, r.prompt)];
    if (!chosen.length || !rejected.length) throw new FolioError(notice('jsonlMissing', { line: i + 1, field: chosen.length ? 'rejected' : 'chosen' }));
    return { prompt, chosen, rejected };
  });
}

/** Parse and encode a file's text for a method. */
export function readTuneData(text: string, method: 'sft' | 'dpo' | 'rlhf', tok: Tokenizer, blockSize: number): { examples?: Example[]; pairs?: Pair[] } {
  if (method === 'sft') return { examples: encodeSft(parseJsonl(text, ['prompt', 'completion']), tok, blockSize) };
  return { pairs: encodePairs(parseJsonl(text, ['prompt', 'chosen', 'rejected']), tok, blockSize) };
}
