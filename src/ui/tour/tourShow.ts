/**
 * Each tour chapter's *Show me*: set the panels up (prompt, bundled corpus, the tab of
 * "Inside the model") through the page's own commands, then scroll to what to look at and
 * outline it until the visitor moves on. A chapter names the elements it would point at,
 * best first, and takes the next one when the first is not on show.
 *
 * Nothing here replaces a trained model silently: a corpus change goes through
 * `commands.corpus.chooseBundled`, which asks first when the current model was trained here. The
 * card says "highlighted" only once the new model is in and the target outlined; a Cancel
 * leaves the page as it was, and the card says so.
 */
import { isBundledCorpus, BUNDLED_CORPORA } from '../../state/corpora';
import { useFolio } from '../../state/store';
import { fitPromptToCorpus } from '../../state/dna';
import { currentChapter, showPlan, tourActions, useTour } from '../../state/tour';
import type { TourChapterId } from '../../i18n/tour';
import { commands } from '../app/commands';

let highlighted: Element | undefined;

/** Remove the outline (the visitor moved on, or closed the tour). */
export function clearHighlight(): void {
  const card = document.getElementById('tour-card');
  if (card) delete card.dataset.side;
  highlighted?.classList.remove('tour-target');
  highlighted?.removeAttribute('data-tour-target');
  highlighted = undefined;
}

function visible(el: Element): boolean {
  return el.getClientRects().length > 0;
}

/**
 * Keep the card off what it points at: on a wide screen, a target whose panel sits in the
 * right-hand column (under the card's usual place) sends the card to the left.
 */
function placeCard(card: HTMLElement, panel: DOMRect): void {
  const c = card.getBoundingClientRect();
  const wide = c.width < window.innerWidth * 0.5;
  const over = c.left < panel.right && c.right > panel.left;
  if (wide && (card.dataset.side === 'left' || over) && panel.left > c.width + 32) card.dataset.side = 'left';
  else delete card.dataset.side;
}

/**
 * Scroll so `el` lies whole in the part of the window the card leaves free (above the card
 * when they share columns), with as much of its panel above it in view as fits: a button
 * comes with the controls and words around it. Already in that part: no scroll (the fox's
 * bars at the top of the page stay where they are). Too tall to fit: its top goes to the top.
 */
function reveal(el: Element): void {
  const card = document.getElementById('tour-card');
  const panel = el.closest('.panel') ?? el;
  if (card) placeCard(card, panel.getBoundingClientRect());
  const r = el.getBoundingClientRect();
  const p = panel.getBoundingClientRect();
  const c = card?.getBoundingClientRect();
  const top = 16;
  const bottom = (c && c.left < r.right && c.right > r.left ? c.top : window.innerHeight) - 8;
  if (r.top >= top && r.bottom <= bottom) return;
  // Lowest scroll that keeps the target's top in view, highest that keeps its bottom above the card; the panel's top as near the top as they allow.
  const dy = r.bottom - bottom > r.top - top ? r.top - top : Math.min(r.top - top, Math.max(r.bottom - bottom, p.top - top));
  if (dy !== 0) window.scrollBy({ top: dy, behavior: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
}

/** The card's words scroll (on a phone): bring what Show me said and the *Try it* into view. */
function showTry(): void {
  const body = document.querySelector<HTMLElement>('#tour-card .tour-body');
  const tryIt = body?.querySelector<HTMLElement>('.tour-try');
  if (!body || !tryIt) return;
  const want = tryIt.offsetTop + tryIt.offsetHeight - body.clientHeight + 4;
  if (want > body.scrollTop) body.scrollTop = want;
}

/** The first of `selectors` on the page and visible, with its rank. */
function find(selectors: string[]): { el: Element; selector: string; rank: number } | undefined {
  for (const [rank, selector] of selectors.entries()) {
    const el = document.querySelector(selector);
    if (el && visible(el)) return { el, selector, rank };
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(ok: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) return false;
    await sleep(100);
  }
  return true;
}

/**
 * Switch to a bundled corpus unless its model is already the live one (asks first if a trained
 * model would go), and wait for the new model. 'kept': the visitor answered Cancel.
 */
async function chooseCorpus(name: string, stillOn: () => boolean): Promise<'ready' | 'kept'> {
  if (!isBundledCorpus(name)) return 'ready';
  // A model being built (a corpus read, a checkpoint loading) finishes first.
  if (!(await until(() => !useFolio.getState().busy, 30_000)) || !stillOn()) return 'ready';
  const title = BUNDLED_CORPORA[name].title;
  if (useFolio.getState().model?.corpusName === title) return 'ready';
  const before = useFolio.getState().settings;
  commands.corpus.chooseBundled(name);
  // The replace dialog, if it opened, waits for the visitor (as long as they like).
  await until(() => !useFolio.getState().confirm, 24 * 3600_000);
  // Confirmed (or never asked): the settings change at once, to the new corpus; Cancel leaves them be.
  if (useFolio.getState().settings === before) return 'kept';
  await until(() => useFolio.getState().model?.corpusName === title && !useFolio.getState().busy, 60_000);
  return 'ready';
}

/** Run a chapter's *Show me*; resolves once the target is outlined (or none could be found). */
export async function showMe(chapter: TourChapterId): Promise<void> {
  clearHighlight();
  tourActions.unshown();
  const plan = showPlan(chapter);
  const stillOn = () => useTour.getState().open && currentChapter() === chapter;
  const corpus = plan.corpus ? await chooseCorpus(plan.corpus, stillOn) : 'ready';
  // The visitor moved on while a model was being built: set nothing up for a chapter no longer on show.
  if (!stillOn()) return;
  // Cancel in the replace dialog: change nothing else either, and say so.
  if (corpus === 'kept') {
    tourActions.shown({ chapter, selector: '', preferred: false, kept: true });
    await new Promise((r) => requestAnimationFrame(r));
    return showTry();
  }
  if (plan.corpus && isBundledCorpus(plan.corpus)) {
    // The prompt and the tracked word fit the corpus (a codon to track on the genome, not "dog").
    const s = useFolio.getState();
    fitPromptToCorpus(plan.corpus, s.prompt, s.settings.track, {
      prompt: commands.nextWords.setPrompt,
      track: (track) => useFolio.get().setSettings({ track }),
    });
  }
  if (plan.prompt !== undefined && useFolio.getState().prompt !== plan.prompt) commands.nextWords.setPrompt(plan.prompt);
  if (plan.insideTab) commands.inside.insideTab(plan.insideTab);
  // The text says which word to watch ("dog"): the fields say the same, whatever the visitor typed there before.
  if (plan.word !== undefined) {
    if (useFolio.get().settings.track !== plan.word) commands.nextWords.setTrack(plan.word);
    commands.inside.setBackpropWord(plan.word);
  }
  let hit = find(plan.targets);
  // The preferred target may still be rendering (bars after a model change): wait a little for it.
  if (!hit || hit.rank > 0) {
    await until(() => (find(plan.targets)?.rank ?? 1) === 0, hit ? 300 : 5000);
    hit = find(plan.targets);
  }
  // The visitor moved on while the page was being set up: point at nothing.
  if (!hit || !stillOn()) return;
  hit.el.classList.add('tour-target');
  hit.el.setAttribute('data-tour-target', chapter);
  highlighted = hit.el;
  // Say so first: the card grows by a line, and what it leaves free is measured after that.
  tourActions.shown({ chapter, selector: hit.selector, preferred: hit.rank === 0 });
  await new Promise((r) => requestAnimationFrame(r));
  showTry();
  reveal(hit.el);
  // Panels above it may still grow (bars and token chips of a model just loaded) and push the
  // target under the card: look again while the page settles, as long as it is still outlined.
  // A visitor who scrolls meanwhile has taken over: never pull the page back from them.
  const el = hit.el;
  let tookOver = false;
  const takeOver = () => (tookOver = true);
  const events = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;
  for (const e of events) window.addEventListener(e, takeOver, { passive: true });
  try {
    for (const ms of [500, 1000, 2000]) {
      await sleep(ms);
      if (tookOver || highlighted !== el || !stillOn()) return;
      reveal(el);
    }
  } finally {
    for (const e of events) window.removeEventListener(e, takeOver);
  }
}
