/**
 * The logit lens: for the current prompt, one row per layer (0 = the embeddings) with
 * that layer's best guesses for the next token and the probability it already gives the
 * model's final answer. Data from the inside store, or — while the page is rewound (issue 27)
 * — the snapshot on show's; no model logic here.
 */
import { insideOf, useInside } from '../../state/inside';
import { rewoundAtOf, useFolio, useRewound } from '../../state/store';
import { useT } from '../app/useT';
import { ProbBar } from '../shared/ProbBar';

export function LogitLens() {
  const t = useT();
  const liveId = useFolio((s) => s.model?.id);
  const live = useInside((s) => insideOf(s, liveId).lens);
  const rewound = useRewound('lens');
  const answer = useFolio(rewoundAtOf) === undefined ? live : rewound;
  const prompt = useFolio((s) => s.prompt);
  const charModel = useFolio((s) => s.model?.tokenizer === 'char');
  return (
    <div className="lens">
      <p className="hint">{t.insideLensHint}</p>
      {charModel && prompt && !/\s$/u.test(prompt) && <p className="note small">{t.insideLensSpaceTip}</p>}
      {!prompt ? (
        <p className="muted">{t.emptyPrompt}</p>
      ) : !answer ? (
        <p className="muted">{t.insideEmbNone}</p>
      ) : (
        <>
          <p className="muted small" data-testid="lens-for" data-prompt={answer.prompt}>
            {t.insideLensFor(answer.step)}
          </p>
          <table className="lens-table">
            <thead>
              <tr>
                <th />
                <th>{t.insideTabLens}</th>
                <th>{t.insideLensPFinal(answer.lens.finalTop.display)}</th>
              </tr>
            </thead>
            <tbody>
              {answer.lens.rows.map((row) => (
                <tr key={row.layer} data-testid="lens-row" data-layer={row.layer} data-top={row.top[0]?.display ?? ''}>
                  <th scope="row" className="lens-layer">
                    {t.insideLensLayer(row.layer)}
                  </th>
                  <td>
                    <div className="lens-guesses">
                      {row.top.map((g, i) => (
                        <span key={g.id} className={i === 0 ? 'lens-guess lens-first' : 'lens-guess'} style={{ opacity: 0.35 + 0.65 * Math.sqrt(g.p) }}>
                          <code>{g.display}</code> {t.insidePct(g.p)}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td>
                    <div className="lens-final">
                      <ProbBar trackClass="lens-track" emptyAtZero fraction={row.pFinal} value={t.insidePct(row.pFinal)} />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
