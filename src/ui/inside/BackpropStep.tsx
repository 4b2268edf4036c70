/**
 * One step of backpropagation, with numbers: p(true word) before, the loss, the gradient's
 * size per group of parameters, the change AdamW made, p(true word) after. *Step* repeats
 * it on the same copy of the model (the worker's, see worker/inside.ts): the training run
 * is never touched. Data from the inside store; no model logic here.
 */
import { commands } from '../app/commands';
import { insideOf, useInside, type BackpropAnswer } from '../../state/inside';
import { learningRateNow, useFolio } from '../../state/store';
import { useT } from '../app/useT';
import { ProbBar } from '../shared/ProbBar';

const LR_CHOICES = [0, 1e-4, 1e-3, 1e-2];

function Bars({
  rows,
  pick,
  testId,
}: {
  rows: BackpropAnswer['result']['groups'];
  pick: (g: BackpropAnswer['result']['groups'][number]) => number;
  testId?: string;
}) {
  const t = useT();
  const max = Math.max(1e-30, ...rows.map(pick));
  return (
    <ul className="bars grad-bars">
      {rows.map((g) => (
        <li key={g.group} className="bar-row" {...(testId ? { 'data-testid': testId, 'data-group': g.group, 'data-norm': String(pick(g)) } : {})}>
          <ProbBar
            label={t.insideGroup(g.group)}
            labelClass="grad-label"
            labelTitle={`${g.group}: ${g.params}`}
            fraction={pick(g) / max}
            value={t.insideSize(pick(g))}
          />
        </li>
      ))}
    </ul>
  );
}

export function BackpropStep() {
  const t = useT();
  const prompt = useFolio((s) => s.prompt);
  const runLr = useFolio((s) => learningRateNow(s) ?? 0); // what the run's next step would use: the copy's default
  const liveId = useFolio((s) => s.model?.id);
  const { word, lr, busy } = useInside();
  const steps = useInside((s) => insideOf(s, liveId).steps);
  const last = steps.at(-1);
  const r = last?.result;
  return (
    <div className="backprop">
      <p className="hint">{t.insideBpHint}</p>
      <p className="bp-example">
        <span className="muted">{prompt}</span>{' '}
        <label className="inline-field">
          <span className="visually-hidden">{t.insideBpWord}</span>
          <input
            data-testid="backprop-word"
            value={word}
            size={10}
            aria-label={t.insideBpWord}
            onChange={(e) => commands.inside.setBackpropWord(e.target.value)}
          />
        </label>
      </p>
      <div className="row wrap">
        <label className="inline-field">
          {t.insideBpLr}
          <select data-testid="backprop-lr" value={lr} onChange={(e) => commands.inside.setBackpropLr(Number(e.target.value))}>
            {LR_CHOICES.map((x) => (
              <option key={x} value={x}>
                {x === 0 ? t.insideBpLrRun(t.rate(runLr)) : t.rate(x)}
              </option>
            ))}
          </select>
        </label>
        <button data-testid="backprop-step" disabled={busy || !word.trim()} onClick={() => commands.inside.backpropStep()}>
          {t.insideBpStep}
        </button>
        <button className="secondary" disabled={busy || steps.length === 0} onClick={() => commands.inside.backpropStep(true)}>
          {t.insideBpAgain}
        </button>
        {busy && <span className="muted small">{t.insideBusy}</span>}
      </div>
      {!r || !last ? (
        <p className="muted">{t.insideBpNone}</p>
      ) : (
        <>
          <p className="muted small">{t.insideBpWordTokens(last.tokens.join(' '))}</p>
          <div className="bp-flow">
            <div className="bp-box" data-testid="backprop-before" data-prob={r.before}>
              <span className="small">{t.insideBpBefore}</span>
              <strong>{t.insidePct(r.before)}</strong>
              <span className="small">{t.insideBpLoss(t.insideSize(r.loss))}</span>
            </div>
            <span className="bp-arrow" aria-hidden="true">
              →
            </span>
            <div className="bp-box" data-testid="backprop-after" data-prob={r.after}>
              <span className="small">{t.insideBpAfter}</span>
              <strong>{t.insidePct(r.after)}</strong>
              <span className="small">{t.insideBpLoss(t.insideSize(r.lossAfter))}</span>
            </div>
          </div>
          <p className="muted small">
            {r.clipScale < 1 ? t.insideBpClip(t.insideSize(r.gradNorm), t.insideSize(r.clipScale)) : t.insideBpNoClip(t.insideSize(r.gradNorm))}
          </p>
          <div className="two-columns">
            <div>
              <h3>{t.insideBpGrads}</h3>
              <Bars rows={r.groups} pick={(g) => g.gradNorm} testId="grad-bar" />
            </div>
            <div>
              <h3>{t.insideBpUpdates}</h3>
              <Bars rows={r.groups} pick={(g) => g.updateNorm} testId="update-bar" />
            </div>
          </div>
          <p className="muted small" data-testid="backprop-copy">
            {t.insideBpCopy(r.steps, r.fromStep, t.rate(r.lr))}
          </p>
          {steps.length > 1 && (
            <p className="small bp-history">
              {t.insideBpHistory}: {[steps[0]!.result.before, ...steps.map((s) => s.result.after)].map((p) => t.insidePct(p)).join(' → ')}
            </p>
          )}
        </>
      )}
    </div>
  );
}
