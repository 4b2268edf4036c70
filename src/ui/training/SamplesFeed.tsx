/** The text the model writes every N steps: progress you can read, not just a number. */
import { useFolio } from '../../state/store';
import { useT } from '../app/useT';

export function SamplesFeed() {
  const t = useT();
  const samples = useFolio((s) => s.samples);
  return (
    <section className="samples" aria-labelledby="samples-h">
      <h3 id="samples-h">{t.samplesTitle}</h3>
      {samples.length === 0 ? (
        <p className="muted">{t.samplesEmpty(100)}</p>
      ) : (
        <ol className="feed" data-testid="samples">
          {[...samples].reverse().map((s) => (
            <li key={s.step}>
              <span className="feed-step">
                {t.step} {t.num(s.step)}
              </span>
              <pre>{s.text}</pre>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
