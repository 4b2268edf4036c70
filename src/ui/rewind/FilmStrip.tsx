/**
 * The film strip (issue 27): one frame per snapshot of the run — its step, the prompt's top
 * next word then and its probability ("e 9 % → the 21 % → dog 57 %") — so the story of the
 * run reads without dragging. A frame is a button: it rewinds the page to that snapshot.
 * It scrolls sideways in its own box on a narrow screen, never the page.
 */
import { filmStripOf, rewoundAtOf, useFolio } from '../../state/store';
import { visibleWhitespace } from '../../tokenizer/tokenizer';
import { commands } from '../app/commands';
import { useT } from '../app/useT';

/** A prompt cut to its last words for a caption. */
function tail(prompt: string): string {
  return prompt.length > 40 ? `…${prompt.slice(-38)}` : prompt;
}

export function FilmStrip() {
  const t = useT();
  const strip = useFolio(filmStripOf);
  const prompt = useFolio((s) => s.prompt);
  const at = useFolio(rewoundAtOf);
  if (!strip || strip.frames.length === 0) return null;
  const stale = strip.prompt !== prompt;
  const top = Math.max(1e-9, ...strip.frames.map((f) => f.p));
  return (
    <section className="film" aria-labelledby="film-h">
      <h3 id="film-h">{t.filmTitle}</h3>
      <p className="hint">
        {t.filmHint(tail(strip.prompt))}
        {stale && <span className="muted"> {t.filmStale}</span>}
      </p>
      <ol className={stale ? 'film-strip stale' : 'film-strip'} data-testid="film-strip" data-prompt={strip.prompt} data-track={strip.track}>
        {strip.frames.map((f) => {
          const word = (f.continues ? '…' : '') + visibleWhitespace(f.top);
          return (
            <li key={f.step}>
              <button
                className="film-frame"
                data-testid="film-frame"
                data-step={f.step}
                data-top={f.top}
                data-prob={f.p}
                data-tracked={f.tracked}
                aria-pressed={at === f.step}
                aria-label={t.filmFrame(f.step, word, f.p)}
                onClick={() => commands.rewind.rewindTo(f.step)}
              >
                <span className="film-step">{t.num(f.step)}</span>
                <span className="film-word">{word}</span>
                <span className="film-p">{t.pct(f.p)}</span>
                {/* Height on one scale for the whole strip: the rise reads at a glance. */}
                <span className="film-bar" aria-hidden="true">
                  <span style={{ height: `${Math.round((100 * f.p) / top)}%` }} />
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
