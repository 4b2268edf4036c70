/**
 * Loading and checking a corpus. A person feeds Folio a file or a paste; when it is
 * unusable they get one sentence that says what is wrong and what to do, never a
 * stack trace. Nothing here touches the model: rejecting a corpus changes nothing.
 */
import { FolioError, notice, type Notice } from '../i18n';

export type CorpusErrorCode = 'empty' | 'whitespace' | 'binary' | 'utf16' | 'invalid-utf8' | 'too-large' | 'too-short' | 'single-char';

/** A refused corpus: `code` says which way it failed, the notice says it to the person. */
export class CorpusError extends FolioError {
  constructor(
    readonly code: CorpusErrorCode,
    n: Notice,
  ) {
    super(n);
    this.name = 'CorpusError';
  }
}

/** Default upper bound: 10 MB keeps tokenizing and batching snappy in a tab. */
export const DEFAULT_MAX_CORPUS_BYTES = 10 * 1024 * 1024;

export interface CorpusLimits {
  maxBytes: number;
}

/** Decode the bytes of a text file, rejecting what is not UTF-8 text. */
export function decodeCorpusBytes(bytes: Uint8Array, limits: CorpusLimits = { maxBytes: DEFAULT_MAX_CORPUS_BYTES }): string {
  if (bytes.length > limits.maxBytes) {
    throw new CorpusError('too-large', notice('fileTooLarge', { size: bytes.length, limit: limits.maxBytes }));
  }
  if (bytes.length === 0) throw new CorpusError('empty', notice('fileEmpty'));
  if (looksUtf16(bytes)) {
    throw new CorpusError('utf16', notice('utf16'));
  }
  let nul = 0;
  const scan = Math.min(bytes.length, 1 << 20);
  for (let i = 0; i < scan; i++) if (bytes[i] === 0) nul++;
  if (nul > 0) {
    throw new CorpusError('binary', notice('binaryFile'));
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CorpusError('invalid-utf8', notice('invalidUtf8'));
  }
  return validateCorpusText(text, limits);
}

/** Check text that is already a string (a paste, or a decoded file). Returns it unchanged. */
export function validateCorpusText(text: string, limits: CorpusLimits = { maxBytes: DEFAULT_MAX_CORPUS_BYTES }): string {
  // UTF-16 length ≤ UTF-8 bytes ≤ 3 × length: a cheap bound before measuring exactly.
  if (text.length > limits.maxBytes || (text.length * 3 > limits.maxBytes && utf8Length(text) > limits.maxBytes)) {
    throw new CorpusError('too-large', notice('textTooLarge', { size: utf8Length(text), limit: limits.maxBytes }));
  }
  if (text.length === 0) throw new CorpusError('empty', notice('textEmpty'));
  if (text.trim().length === 0) throw new CorpusError('whitespace', notice('whitespace'));
  let control = 0;
  let total = 0;
  for (const ch of text) {
    total++;
    const c = ch.codePointAt(0)!;
    if (c === 0) throw new CorpusError('binary', notice('binaryText'));
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || (c >= 0x7f && c < 0xa0)) control++;
    if (total >= 200_000) break; // a prefix is enough to tell text from binary
  }
  if (control / total > 0.1) {
    throw new CorpusError('binary', notice('controlChars'));
  }
  const first = String.fromCodePoint(text.codePointAt(0)!);
  let single = true;
  for (const ch of text) {
    if (ch !== first) {
      single = false;
      break;
    }
  }
  if (single) {
    throw new CorpusError('single-char', notice('singleChar', { char: first, repeated: text.length > first.length ? 1 : 0 }));
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** How many bytes the text takes as UTF-8. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** A UTF-16 file: a byte-order mark, or NULs in every other byte of ASCII text. */
function looksUtf16(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return true;
  const n = Math.min(bytes.length - (bytes.length % 2), 4096);
  if (n < 4) return false;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const half = n / 2;
  return (oddNul > 0.3 * half && evenNul < 0.05 * half) || (evenNul > 0.3 * half && oddNul < 0.05 * half);
}
