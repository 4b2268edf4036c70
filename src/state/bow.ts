/**
 * The "bow" pair as the bundled bow model reads it (corpus/pretrained/bow-nano, trained by
 * the CLI on corpus/bow.txt). Its files are sent once per page: the bow model never
 * changes. The person may edit the two sentences: each edit asks again (no files then).
 * Kept in its own small store, beside the page's.
 */
// The metadata as text in the bundle (3 KB: as a URL, Vite would inline it as a data: URL, which the CSP refuses to fetch).
import bowJson from '../../corpus/pretrained/bow-nano/model.json?raw';
import bowWeights from '../../corpus/pretrained/bow-nano/weights.bin?url';
import type { Notice } from '../i18n';
import { noticeOf } from '../i18n';
import type { SentenceView } from '../predict/bowView';
import type { WorkerLink } from './link';
import { BOW_SENTENCES } from './prompts';
import { makeStore } from './store/makeStore';

export interface BowState {
  /** The two sentences as the person left them (the article's two until edited). */
  sentences: [string, string];
  /** The first sentence's view, then the second's. */
  views?: SentenceView[];
  failed?: Notice;
}

export const useBow = makeStore<BowState>(() => ({ sentences: [BOW_SENTENCES.bowShow, BOW_SENTENCES.bowTarget] }));

let asked = false;

/** Fetch the bow model's files and have the worker read both sentences with it (once). */
export async function requestBowView(link: WorkerLink): Promise<void> {
  if (asked) return;
  asked = true;
  try {
    const get = async (url: string) => {
      const r = await fetch(url);
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return r;
    };
    const json = bowJson;
    const weights = await get(bowWeights).then((r) => r.arrayBuffer());
    const sentences = useBow.get().sentences;
    const answer = await link.ask('bowView', { files: { json, weights }, sentences: [...sentences] }, [weights]);
    if (useBow.get().sentences === sentences) useBow.update({ views: answer.views, failed: undefined });
  } catch (e) {
    asked = false;
    useBow.update({ failed: noticeOf(e) });
  }
}

/** The person edited a sentence (kept at once; `askBowAgain` asks the bow model once typing pauses). */
export function setBowSentence(index: 0 | 1, text: string): void {
  const sentences: [string, string] = [...useBow.get().sentences];
  sentences[index] = text;
  useBow.update({ sentences });
}

/** The bow model reads both sentences as they are now (the newest edit's answer wins). */
export async function askBowAgain(link: WorkerLink): Promise<void> {
  const sentences = useBow.get().sentences;
  if (!asked || sentences.some((s) => s.trim() === '')) return; // the first ask reads them; an empty one has nothing to read
  try {
    const answer = await link.ask('bowView', { sentences: [...sentences] });
    if (useBow.get().sentences === sentences) useBow.update({ views: answer.views, failed: undefined });
  } catch (e) {
    if (useBow.get().sentences === sentences) useBow.update({ failed: noticeOf(e) });
  }
}
