/**
 * GPT-2's tokenizer files, read and written: `tokenizer.json` (the `tokenizers` library's
 * format: a BPE model with `vocab` {token: id} and `merges` ["a b", …] or [["a","b"], …],
 * after a ByteLevel pre-tokenizer; `added_tokens` such as `<|endoftext|>`), or the older pair
 * `vocab.json` + `merges.txt` (a `#version` line, then one "a b" merge a line, by rank).
 *
 * These are outside bytes: each is checked before it becomes a TokenizerJSON (ids 0…size−1
 * each once, merges of tokens the vocabulary has that make a token it has, special tokens in
 * range, counts within bounds), and a file that fails says which file and why. The encoding
 * itself lives in tokenizer/byteBpe.ts.
 */
import { notice, type FileProblem } from '../i18n';
import { BYTE_BPE_MAX_VOCAB, ByteBpeTokenizer } from '../tokenizer/byteBpe';
import type { TokenizerJSON } from '../tokenizer';
import { CheckpointError } from './checkpoint';

/** The largest tokenizer file read (GPT-2's tokenizer.json is 1.3 MB). */
export const MAX_TOKENIZER_BYTES = 64 * 1024 ** 2;

export const fileBad = (file: string, problem: FileProblem, at?: string) => new CheckpointError(notice('fileBad', { file, problem, ...(at ? { at } : {}) }));

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Parse a JSON file of at most `max` characters, as an object. */
export function parseJsonObject(text: string, file: string, max = MAX_TOKENIZER_BYTES): Record<string, unknown> {
  if (typeof text !== 'string' || text.length > max) throw fileBad(file, 'tooMany');
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    throw fileBad(file, 'json');
  }
  if (!isObj(x)) throw fileBad(file, 'notObject');
  return x;
}

/** Whether a tokenizer.json is byte-level (its pre-tokenizer is ByteLevel, alone or in a Sequence). */
export function isByteLevel(json: unknown): boolean {
  const pre = isObj(json) ? json.pre_tokenizer : undefined;
  if (!isObj(pre)) return false;
  if (pre.type === 'ByteLevel') return true;
  return pre.type === 'Sequence' && Array.isArray(pre.pretokenizers) && pre.pretokenizers.some((p) => isObj(p) && p.type === 'ByteLevel');
}

/** {token: id} as an array by id; every id 0…size−1 exactly once. */
function vocabArray(v: unknown, file: string): string[] {
  if (!isObj(v)) throw fileBad(file, 'vocab');
  const entries = Object.entries(v);
  if (entries.length === 0) throw fileBad(file, 'vocab');
  if (entries.length > BYTE_BPE_MAX_VOCAB) throw fileBad(file, 'tooMany');
  const vocab: string[] = new Array(entries.length);
  for (const [s, id] of entries) {
    if (s === '' || !Number.isInteger(id) || (id as number) < 0 || (id as number) >= entries.length || vocab[id as number] !== undefined)
      throw fileBad(file, 'vocab', String(s).slice(0, 40));
    vocab[id as number] = s;
  }
  return vocab;
}

/** Merges as pairs of ids, checked against the vocabulary. */
function mergeIds(raw: unknown, vocab: string[], file: string): [number, number][] {
  if (!Array.isArray(raw)) throw fileBad(file, 'merge');
  if (raw.length > vocab.length) throw fileBad(file, 'tooMany');
  const index = new Map<string, number>();
  vocab.forEach((s, i) => index.set(s, i));
  return raw.map((m, r): [number, number] => {
    const pair = typeof m === 'string' ? splitMerge(m) : Array.isArray(m) && m.length === 2 ? m : undefined;
    const [a, b] = [index.get(String(pair?.[0])), index.get(String(pair?.[1]))];
    if (!pair || typeof pair[0] !== 'string' || typeof pair[1] !== 'string' || a === undefined || b === undefined || !index.has(pair[0] + pair[1]))
      throw fileBad(file, 'merge', `#${r}`);
    return [a, b];
  });
}

/** "a b" → ["a", "b"] (byte-level tokens hold no space: a space is "Ġ"). */
function splitMerge(line: string): [string, string] | undefined {
  const parts = line.split(' ');
  return parts.length === 2 ? [parts[0]!, parts[1]!] : undefined;
}

/** Read a byte-level BPE tokenizer.json. */
export function byteBpeFromTokenizerJson(text: string): TokenizerJSON {
  return byteBpeFromTokenizer(parseJsonObject(text, 'tokenizer.json'));
}

/** The same, already parsed. */
export function byteBpeFromTokenizer(json: unknown): TokenizerJSON {
  const file = 'tokenizer.json';
  if (!isObj(json)) throw fileBad(file, 'notObject');
  const m = json.model;
  if (!isByteLevel(json) || !isObj(m) || m.type !== 'BPE' || (m.continuing_subword_prefix ?? '') !== '' || (m.end_of_word_suffix ?? '') !== '')
    throw fileBad(file, 'notByteLevel');
  const vocab = vocabArray(m.vocab, file);
  const merges = mergeIds(m.merges, vocab, file);
  const special: number[] = [];
  const added = Array.isArray(json.added_tokens) ? json.added_tokens : [];
  if (added.length > 1024) throw fileBad(file, 'tooMany');
  for (const t of added) {
    if (!isObj(t) || typeof t.content !== 'string' || !Number.isInteger(t.id)) throw fileBad(file, 'special');
    const id = t.id as number;
    // An added token past the model's vocabulary is appended, as `tokenizers` does; one inside must be the same text.
    if (id === vocab.length && t.content !== '') vocab.push(t.content);
    else if (vocab[id] !== t.content) throw fileBad(file, 'special', t.content.slice(0, 40));
    if (t.special !== false) special.push(id);
  }
  return checked({ kind: 'bytebpe', vocab, merges, ...(special.length ? { special } : {}) }, file);
}

/** Read the older pair: vocab.json ({token: id}) and merges.txt. `<|endoftext|>` is special when present. */
export function byteBpeFromVocabMerges(vocabJson: string, mergesTxt: string): TokenizerJSON {
  const vocab = vocabArray(parseJsonObject(vocabJson, 'vocab.json'), 'vocab.json');
  if (typeof mergesTxt !== 'string' || mergesTxt.length > MAX_TOKENIZER_BYTES) throw fileBad('merges.txt', 'tooMany');
  const lines = mergesTxt.split('\n').map((l) => l.replace(/\r$/, ''));
  const merges = mergeIds(
    lines.filter((l, i) => l !== '' && !(i === 0 && l.startsWith('#version'))),
    vocab,
    'merges.txt',
  );
  const eot = vocab.indexOf('<|endoftext|>');
  return checked({ kind: 'bytebpe', vocab, merges, ...(eot >= 0 ? { special: [eot] } : {}) }, 'vocab.json');
}

/** Build it once here, so a file that cannot make a tokenizer fails now, with the file's name. */
function checked(json: TokenizerJSON, file: string): TokenizerJSON {
  try {
    ByteBpeTokenizer.fromJSON(json);
  } catch (e) {
    throw fileBad(file, 'merge', (e as Error).message.slice(0, 80));
  }
  return json;
}

/** A byte-level TokenizerJSON as GPT-2's tokenizer.json (what `tokenizers` and transformers read). */
export function byteBpeToTokenizerJson(t: TokenizerJSON): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  t.vocab.forEach((s, i) => {
    if (!(s in vocab)) vocab[s] = i;
  });
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: (t.special ?? []).map((id) => ({
      id,
      content: t.vocab[id],
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: true,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: (t.merges ?? []).map(([a, b]) => `${t.vocab[a]} ${t.vocab[b]}`),
    },
  };
}
