/**
 * The "bow" pair as the bundled bow model reads it (corpus/pretrained/bow-nano, trained by
 * the CLI on corpus/bow.txt). Asked for once per page: the bow model never changes, so
 * neither does its answer. Kept in its own small store, beside the page's.
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
  /** The stage sentence's view, then the archery one's. */
  views?: SentenceView[];
  failed?: Notice;
}

export const useBow = makeStore<BowState>(() => ({}));

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
    const answer = await link.ask('bowView', { files: { json, weights }, sentences: [BOW_SENTENCES.bowShow, BOW_SENTENCES.bowTarget] }, [weights]);
    useBow.update({ views: answer.views, failed: undefined });
  } catch (e) {
    asked = false;
    useBow.update({ failed: noticeOf(e) });
  }
}
