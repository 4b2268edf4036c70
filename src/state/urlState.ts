/**
 * What the address bar carries, from one table (like TensorFlow Playground's state.ts):
 * each row says how to read its parameter into the page's state, how to write it back,
 * and its default (a parameter at its default is left out). Every setting read from the
 * URL is written to it, so a link shows what its sender saw.
 */
import { isModelPreset, isTrainSteps } from '../config';
import { isLang } from '../i18n';
import { isKmerK, isTokenizerKind } from '../tokenizer';
import { isBackendName, type BackendName } from '../worker/protocol';
import { isBundledCorpus } from './corpora';
import { DEFAULT_PROMPT, defaultSettings, type Settings } from './store';

/** The state the address bar shows. */
export interface UrlView {
  settings: Settings;
  prompt: string;
  backend: BackendName | 'auto';
}

/** What a URL asks for: settings, a prompt, a backend (each only where the URL names it). */
export interface UrlPatch {
  settings: Partial<Settings>;
  prompt?: string;
  backend?: BackendName | 'auto';
}

interface UrlField {
  key: string;
  /** Apply the raw value to the patch; a value that makes no sense is ignored. */
  read: (raw: string, patch: UrlPatch) => void;
  write: (v: UrlView) => string;
  default: string;
}

const positive = (raw: string) => {
  const n = Number(raw);
  return raw.trim() !== '' && n > 0 && Number.isFinite(n) ? n : undefined;
};

export const URL_FIELDS: readonly UrlField[] = [
  {
    key: 'preset',
    read: (r, p) => void ((isModelPreset(r) || r === 'custom') && (p.settings.preset = r)),
    write: (v) => v.settings.preset,
    default: defaultSettings.preset,
  },
  { key: 'corpus', read: (r, p) => void (isBundledCorpus(r) && (p.settings.corpus = r)), write: (v) => v.settings.corpus, default: defaultSettings.corpus },
  {
    key: 'tokenizer',
    read: (r, p) => void (isTokenizerKind(r) && (p.settings.tokenizer = r)),
    write: (v) => v.settings.tokenizer,
    default: defaultSettings.tokenizer,
  },
  {
    key: 'steps',
    read: (r, p) => {
      const n = positive(r);
      if (n !== undefined && isTrainSteps(n)) p.settings.steps = n; // 1e12 is a whole number too: the field's range holds here as well
    },
    write: (v) => String(v.settings.steps),
    default: String(defaultSettings.steps),
  },
  {
    key: 'lr',
    read: (r, p) => {
      const n = positive(r);
      if (n !== undefined) p.settings.lr = n;
    },
    write: (v) => String(v.settings.lr),
    default: String(defaultSettings.lr), // 0: the preset's own
  },
  // dna: the k-mer tokenizer's k (1–6) and overlap (1 / 0), written only when they differ from the defaults
  {
    key: 'k',
    read: (r, p) => void (isKmerK(Number(r)) && (p.settings.kmerK = Number(r))),
    write: (v) => String(v.settings.kmerK),
    default: String(defaultSettings.kmerK),
  },
  {
    key: 'overlap',
    read: (r, p) => void ((r === '0' || r === '1') && (p.settings.kmerOverlap = r === '1')),
    write: (v) => (v.settings.kmerOverlap ? '1' : '0'),
    default: defaultSettings.kmerOverlap ? '1' : '0',
  },
  { key: 'lang', read: (r, p) => void (isLang(r) && (p.settings.lang = r)), write: (v) => v.settings.lang, default: defaultSettings.lang },
  { key: 'prompt', read: (r, p) => void (p.prompt = r), write: (v) => v.prompt, default: DEFAULT_PROMPT },
  { key: 'backend', read: (r, p) => void (isBackendName(r) && (p.backend = r)), write: (v) => v.backend, default: 'auto' },
];

/**
 * The settings to start with: the URL's over the remembered ones, with anything unusable put
 * right. A remembered value that no longer exists (an old page's) falls back to the default;
 * k-mers read only DNA, so a link that pairs them with a text reads it in characters instead
 * of leaving the page without a model.
 */
export function startSettings(stored: Settings, patch: UrlPatch): Partial<Settings> {
  const out = { ...patch.settings };
  if (!isBundledCorpus(stored.corpus)) out.corpus ??= defaultSettings.corpus;
  if (!isTokenizerKind(stored.tokenizer)) out.tokenizer ??= defaultSettings.tokenizer;
  if (stored.preset !== 'custom' && !isModelPreset(stored.preset)) out.preset ??= defaultSettings.preset;
  if (!isTrainSteps(stored.steps)) out.steps ??= defaultSettings.steps;
  const next = { ...stored, ...out };
  if (next.tokenizer === 'kmer' && next.corpus !== 'dna') out.tokenizer = 'char';
  return out;
}

/** What the query string asks for. */
export function readUrl(search: string): UrlPatch {
  const q = new URLSearchParams(search);
  const patch: UrlPatch = { settings: {} };
  for (const f of URL_FIELDS) {
    const raw = q.get(f.key);
    if (raw !== null) f.read(raw, patch);
  }
  return patch;
}

/** The query string for `view`, keeping parameters this table does not know. */
export function writeUrl(view: UrlView, search: string): string {
  const q = new URLSearchParams(search);
  for (const f of URL_FIELDS) {
    const v = f.write(view);
    if (v === f.default) q.delete(f.key);
    else q.set(f.key, v);
  }
  return q.toString();
}
