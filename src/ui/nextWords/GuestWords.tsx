/**
 * The pretrained guest's ranked next words beside the person's own model's: two columns,
 * "Your model" and "GPT-2 (124 M)", for the same prompt (the same word beam, the same bars).
 * Without a guest only the own model's list shows, as before.
 */
import type { ReactNode } from 'react';
import { guestName, guestRanked, useHub } from '../../state/hub';
import { useT } from '../app/useT';
import { ProbBar } from '../shared/ProbBar';

function GuestBars({ view }: { view: 'words' | 'tokens' }) {
  const t = useT();
  const ranked = useHub(guestRanked);
  if (!ranked) return <p className="muted small">{t.guestThinking}</p>;
  const rows =
    view === 'words'
      ? ranked.prediction.words.map((w) => ({ key: w.word, label: w.continues ? `+${w.word}` : w.word, p: w.p }))
      : ranked.prediction.tokens.map((k) => ({ key: String(k.id), label: k.display, p: k.p }));
  return (
    <ol className="bars" data-testid="guest-ranked" data-model={ranked.modelId} data-prompt={ranked.prompt}>
      {rows.map((r) => (
        <li key={r.key} className="bar-row" data-testid={view === 'words' ? 'guest-word' : 'guest-token'} data-word={r.label} data-prob={r.p}>
          <ProbBar label={r.label} fraction={r.p} value={t.pct(r.p)} />
        </li>
      ))}
    </ol>
  );
}

/** The own model's list (`mine`), and beside it the guest's when one is loaded. */
export function SideBySide({ mine, view }: { mine: ReactNode; view: 'words' | 'tokens' }) {
  const t = useT();
  const model = useHub((s) => s.model);
  if (!model) return <>{mine}</>;
  return (
    <div className="side-by-side" data-testid="side-by-side">
      <div>
        <h3 className="small">{t.yourModel}</h3>
        {mine}
      </div>
      <div>
        <h3 className="small">{t.guestColumn(guestName(model), model.paramCount)}</h3>
        <GuestBars view={view} />
      </div>
    </div>
  );
}
