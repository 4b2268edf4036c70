/**
 * The guided tour: a header button, and a side card (a bar on a phone) with one chapter per
 * idea of the article. Not a modal: the page stays usable beside it. From the keyboard,
 * Tab reaches everything, ← and → change chapter while the card has focus, Esc closes it
 * and gives the focus back to the button. The words live in src/i18n/tour.ts, the state in
 * src/state/tour.ts, what *Show me* does in tourShow.ts.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { TOUR_CHAPTERS } from '../../i18n/tour';
import { currentChapter, tourActions, useTour } from '../../state/tour';
import { clearHighlight, showMe } from './tourShow';
import { useT } from '../app/useT';
import './tour.css';

const LAST = TOUR_CHAPTERS.length - 1;
const BUTTON_ID = 'tour-open';

export function TourButton() {
  const t = useT();
  const open = useTour((s) => s.open);
  const chapter = useTour((s) => s.chapter);
  const started = useTour((s) => s.seen.length > 0);
  return (
    <button
      id={BUTTON_ID}
      className="chip tour-button"
      data-testid="tour-open"
      aria-expanded={open}
      aria-controls="tour-card"
      title={t.tourOpenLabel}
      onClick={open ? tourActions.close : tourActions.open}
    >
      {started && !open ? t.tourResume(chapter + 1, TOUR_CHAPTERS.length) : t.tourOpen}
    </button>
  );
}

export function Tour() {
  const open = useTour((s) => s.open);
  const wasOpen = useRef(open);
  useEffect(() => {
    // Closing hands the focus back to the button that opened the tour (the card itself takes it on opening).
    if (wasOpen.current && !open) document.getElementById(BUTTON_ID)?.focus();
    wasOpen.current = open;
  }, [open]);
  return open ? <TourCard /> : null;
}

function TourCard() {
  const t = useT();
  const index = useTour((s) => s.chapter);
  const seen = useTour((s) => s.seen);
  const shown = useTour((s) => s.shown);
  const heading = useRef<HTMLHeadingElement>(null);
  const chapter = currentChapter({ open: true, chapter: index, seen });
  const text = t.tour[chapter];
  useEffect(() => {
    // Opened from the button: the focus follows into the card (a tour reopened by a reload takes nothing).
    if (document.activeElement?.id === BUTTON_ID) heading.current?.focus();
  }, []);
  // Moving on (or closing) takes the outline off what the last *Show me* pointed at.
  useEffect(() => () => clearHighlight(), [index]);

  /** Change chapter; a button that became disabled (the first or last chapter) leaves its focus to the heading. */
  const move = (to: () => void) => {
    to();
    requestAnimationFrame(() => {
      const a = document.activeElement;
      if (!a || a === document.body || (a instanceof HTMLButtonElement && a.disabled)) heading.current?.focus();
    });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'ArrowRight' && index < LAST) move(tourActions.next);
    else if (e.key === 'ArrowLeft' && index > 0) move(tourActions.prev);
    else if (e.key === 'Escape') tourActions.close();
    else return;
    e.preventDefault();
  };

  return (
    <>
      <aside id="tour-card" className="tour" aria-labelledby="tour-h" data-testid="tour-card" data-chapter={chapter} onKeyDown={onKeyDown}>
        <div className="tour-top">
          <span className="muted small tour-where">
            {t.tourLabel} · {t.tourChapterOf(index + 1, TOUR_CHAPTERS.length)}
          </span>
          <button className="secondary tour-x" data-testid="tour-close" aria-label={t.tourClose} title={t.tourClose} onClick={tourActions.close}>
            ×
          </button>
        </div>
        <nav aria-label={t.tourChapters}>
          <ol className="tour-steps">
            {TOUR_CHAPTERS.map((c, k) => (
              <li key={c}>
                <button
                  className="chip"
                  data-testid="tour-chapter"
                  data-chapter={c}
                  data-seen={seen.includes(c) || undefined}
                  aria-current={k === index ? 'step' : undefined}
                  aria-label={`${k + 1}. ${t.tour[c].title}`}
                  title={t.tour[c].title}
                  onClick={() => tourActions.go(k)}
                >
                  {k + 1}
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <span className="visually-hidden" role="status">
          {t.tourChapterOf(index + 1, TOUR_CHAPTERS.length)}: {text.title}
        </span>
        <div className="tour-body">
          <h2 id="tour-h" tabIndex={-1} ref={heading} data-testid="tour-title">
            {text.title}
          </h2>
          <p data-testid="tour-text">{text.body}</p>
          <div className="tour-show">
            <button data-testid="tour-show" aria-describedby="tour-show-what" onClick={() => void showMe(chapter)}>
              {t.tourShow}
            </button>
            <span className="muted small" id="tour-show-what">
              {text.show}
            </span>
          </div>
          {shown?.chapter === chapter && (
            <p
              className="small tour-shown"
              role="status"
              data-testid="tour-shown"
              data-target={shown.selector || undefined}
              data-preferred={shown.preferred}
              data-kept={shown.kept || undefined}
            >
              {shown.kept ? t.tourKept : t.tourShown}
            </p>
          )}
          <p className="tour-try" data-testid="tour-try">
            <strong>{t.tourTry}:</strong> {text.try}
          </p>
        </div>
        <div className="tour-nav">
          <button className="secondary" data-testid="tour-prev" disabled={index === 0} onClick={() => move(tourActions.prev)}>
            ← {t.tourPrev}
          </button>
          <span className="muted small tour-keys">{t.tourKeys}</span>
          <button data-testid="tour-next" disabled={index === LAST} onClick={() => move(tourActions.next)}>
            {t.tourNext} →
          </button>
        </div>
      </aside>
      <div className="tour-spacer" aria-hidden="true" />
    </>
  );
}
