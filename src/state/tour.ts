/**
 * The guided tour's state: whether it is open, the chapter on show, the chapters seen, and
 * what the last *Show me* highlighted. Remembered across reloads (localStorage, like the
 * other settings), so a visitor who leaves halfway comes back to the same chapter.
 * Also what each chapter's *Show me* sets up and points at (`showPlan`). No DOM here: the
 * page (src/ui/tourShow.ts) runs the plan, does the highlighting and reports it.
 */
import { isTourChapter, TOUR_CHAPTERS, type TourChapterId } from '../i18n/tour';
import { DNA_PROMPTS } from './dna';
import type { InsideTab } from './inside';
import { storedSetting, writeSetting } from './settings';
import { BOW_SENTENCES, DEFAULT_PROMPT } from './prompts';
import { makeStore } from './store/makeStore';

/** localStorage key: {open, chapter, seen}. */
export const TOUR_SETTING = 'folio.tour';

export interface TourState {
  open: boolean;
  /** Index into TOUR_CHAPTERS. */
  chapter: number;
  /** Chapters shown at least once, in the order first seen. */
  seen: TourChapterId[];
  /**
   * What the current chapter's *Show me* did: highlighted `selector` (whether that was its
   * first choice), or nothing at all because the visitor kept the trained model (`kept`).
   */
  shown?: { chapter: TourChapterId; selector: string; preferred: boolean; kept?: boolean };
}

const LAST = TOUR_CHAPTERS.length - 1;
const clamp = (i: number) => Math.max(0, Math.min(LAST, Math.round(i)));

/** The remembered tour; anything unreadable (an old or hand-edited value) starts afresh, closed. */
export function readTour(raw: string | null): TourState {
  const fresh: TourState = { open: false, chapter: 0, seen: [] };
  if (!raw) return fresh;
  try {
    const v = JSON.parse(raw) as Partial<TourState>;
    const chapter = typeof v.chapter === 'number' && Number.isFinite(v.chapter) ? clamp(v.chapter) : 0;
    const seen = Array.isArray(v.seen) ? [...new Set(v.seen.filter(isTourChapter))] : [];
    return { open: v.open === true, chapter, seen };
  } catch {
    return fresh;
  }
}

export const useTour = makeStore<TourState>(() => readTour(storedSetting(TOUR_SETTING)));

useTour.subscribe((s, prev) => {
  if (s.open === prev.open && s.chapter === prev.chapter && s.seen === prev.seen) return;
  writeSetting(TOUR_SETTING, JSON.stringify({ open: s.open, chapter: s.chapter, seen: s.seen }));
});

/** The chapter on show. */
export function currentChapter(s: TourState = useTour.getState()): TourChapterId {
  return TOUR_CHAPTERS[s.chapter]!;
}

function go(i: number): void {
  useTour.setState((s) => {
    const chapter = clamp(i);
    const id = TOUR_CHAPTERS[chapter]!;
    return { chapter, open: true, shown: chapter === s.chapter ? s.shown : undefined, seen: s.seen.includes(id) ? s.seen : [...s.seen, id] };
  });
}

export const tourActions = {
  /** Open where the visitor left off. */
  open: () => go(useTour.getState().chapter),
  close: () => useTour.setState({ open: false, shown: undefined }),
  go,
  next: () => go(useTour.getState().chapter + 1),
  prev: () => go(useTour.getState().chapter - 1),
  /** The page highlighted `selector` for the chapter (preferred: its first choice was there). */
  shown: (shown: NonNullable<TourState['shown']>) => useTour.setState((s) => (currentChapter(s) === shown.chapter && s.open ? { shown } : {})),
  /** The highlight is gone (the visitor moved on). */
  unshown: () => useTour.setState({ shown: undefined }),
};

/** A stretch of DNA for the genome chapter: a TATA box, a gap, and the place a gene may start. */
/** A TATA box and the planted 10-base spacing: a trained genome model should rank ATG first. */
export const TOUR_DNA_PROMPT = DNA_PROMPTS[0]!;

const id = (testId: string) => `[data-testid="${testId}"]`;

/**
 * What a chapter's *Show me* does: the corpus and prompt it sets, the tab of "Inside the model"
 * it opens, the elements it points at (best first).
 */
export interface ShowPlan {
  corpus?: string;
  prompt?: string;
  insideTab?: InsideTab;
  /** The word the chapter's text talks about: tracked, and the backpropagation example's true word. */
  word?: string;
  targets: string[];
}

/** The plan for a chapter. */
export function showPlan(chapter: TourChapterId): ShowPlan {
  switch (chapter) {
    case 'predict':
      return { corpus: 'fox', prompt: DEFAULT_PROMPT, targets: [id('ranked'), '.panel.next-words'] };
    case 'corpus':
      return { corpus: 'shakespeare', prompt: DEFAULT_PROMPT, targets: [id('corpus-select'), '.panel.corpus'] };
    case 'params':
      return { targets: ['.param-scale', '.panel.model'] };
    case 'training':
      // Its *Try it* trains the fox model from scratch and watches the fox bars: set that up too.
      return { corpus: 'fox', prompt: DEFAULT_PROMPT, insideTab: 'backprop', word: 'dog', targets: [id('backprop-step'), id('train-start')] };
    case 'feedback':
      return { targets: [id('feedback-stage'), '.panel.finetune'] };
    case 'attention':
      return { prompt: BOW_SENTENCES.bowShow, targets: ['.bow-pair', '.panel.attention'] };
    case 'gpu':
      return { targets: [id('race-start'), id('backend')] };
    case 'dna':
      return { corpus: 'dna', prompt: TOUR_DNA_PROMPT, targets: [id('ranked'), id('corpus-select')] };
  }
}
