/**
 * The "bow" pair as the bundled bow model reads it (corpus/pretrained/bow-nano, trained by
 * the CLI on corpus/bow.txt). Asked for once per page: the bow model never changes, so
 * neither does its answer. Kept in its own small store, beside the page's.
 */
import { create } from 'zustand';
// The metadata as text in the bundle (3 KB: as a URL, Vite would inline it as a data: URL, which the CSP refuses to fetch).
import bowJson from '../../corpus/pretrained/bow-nano/model.json?raw';
import bowWeights from '../../corpus/pretrained/bow-nano/weights.bin?url';
import type { Notice } from '../i18n';
import { noticeOf } from '../i18n';
import type { SentenceView } from '../predict/bowView';
import type { FromWorker, ToWorker } from '../worker/protocol';
import { BOW_SENTENCES } from './store';

export interface BowState {
  /** The stage sentence's view, then the archery one's. */
  views?: SentenceView[];
  failed?: Notice;
}

export const useBow = create<BowState>(() => ({}));

type Ask = (make: (requestId: number) => ToWorker, then: (answer: FromWorker) => void, transfer?: Transferable[]) => void;

let asked = false;

/** Fetch the bow model's files and have the worker read both sentences with it (once). */
export async function requestBowView(ask: Ask): Promise<void> {
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
    ask(
      (requestId) => ({ type: 'bowView', requestId, files: { json, weights }, sentences: [BOW_SENTENCES.bowShow, BOW_SENTENCES.bowTarget] }),
      (answer) => {
        if (answer.type === 'bowView') useBow.setState({ views: answer.views, failed: undefined });
        else if (answer.type === 'error') useBow.setState({ failed: answer.notice });
      },
      [weights],
    );
  } catch (e) {
    asked = false;
    useBow.setState({ failed: noticeOf(e) });
  }
}
