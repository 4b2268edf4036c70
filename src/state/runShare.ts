/**
 * An experiment as a link: its runs' configs and seeds (never weights, never curves),
 * as base64url JSON in the `exp` query parameter. Opening the link lists the runs to
 * re-run, one click each. What a link says is checked before the page uses it.
 */
import { validateModelConfig } from '../config';
import { isTokenizerKind } from '../tokenizer';
import type { RunConfig } from './runDiff';
import { RUN_NAME_MAX, type SharedRun } from './runs';

/** The query parameter that carries an experiment. */
export const SHARE_PARAM = 'exp';
/** A link holds at most this many runs (links stay short enough to paste). */
export const MAX_SHARED = 8;

function toBase64Url(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): string {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

export function encodeShared(runs: SharedRun[]): string {
  return toBase64Url(JSON.stringify(runs.slice(-MAX_SHARED).map((r) => ({ c: r.config, s: r.seed, ...(r.label ? { l: r.label } : {}) }))));
}

const finitePos = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** A config from a link, or undefined when any part of it makes no sense. */
function checkConfig(c: unknown): RunConfig | undefined {
  const r = c as RunConfig | undefined;
  if (!r || typeof r !== 'object' || !r.model || !r.train || !r.tokenizer || !r.corpus) return undefined;
  if (validateModelConfig(r.model).length > 0) return undefined;
  if (!isTokenizerKind(r.tokenizer.kind) || !finitePos(r.tokenizer.vocabSize)) return undefined;
  if (typeof r.corpus.name !== 'string' || (r.corpus.bundled !== undefined && typeof r.corpus.bundled !== 'string')) return undefined;
  if (!Number.isInteger(r.steps) || r.steps < 1) return undefined;
  const t = r.train;
  if (![t.learningRate, t.batchSize, t.evalInterval].every(finitePos) || !Number.isInteger(t.seed)) return undefined;
  return r;
}

/** The runs a link's `exp` value holds ([] when it holds nothing usable). */
export function decodeShared(text: string): SharedRun[] {
  try {
    const raw = JSON.parse(fromBase64Url(text)) as unknown;
    if (!Array.isArray(raw)) return [];
    const out: SharedRun[] = [];
    for (const item of raw.slice(0, MAX_SHARED)) {
      const { c, s, l } = (item ?? {}) as { c?: unknown; s?: unknown; l?: unknown };
      const config = checkConfig(c);
      if (!config || !Number.isInteger(s)) return [];
      out.push({ config, seed: s as number, ...(typeof l === 'string' && l ? { label: l.slice(0, RUN_NAME_MAX) } : {}) });
    }
    return out;
  } catch {
    return [];
  }
}

/** The page's address with the experiment in it (other parameters kept). */
export function shareUrl(href: string, runs: SharedRun[]): string {
  const u = new URL(href);
  u.searchParams.set(SHARE_PARAM, encodeShared(runs));
  return u.toString();
}
