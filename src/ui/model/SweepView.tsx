/**
 * The size sweep in the Model panel: a few sizes train for the same budget (tokens or
 * seconds) on this corpus; each finished size is a point, final validation loss against
 * parameter count on the panel's log ruler (the same scale and marks as ParamScale, zoomed
 * to the decades the sizes span), in the unit the page shows losses in (state/lossUnit.ts).
 * A progress bar and the time left while it runs.
 */
import { useState } from 'react';
import { useExperiments } from '../../state/experiments';
import { useFolio } from '../../state/store';
import { useShownUnit } from '../../state/lossUnit';
import { paramCount } from '../../config';
import { SWEEP_CONTEXT, SWEEP_DEFAULT_SECONDS, SWEEP_DEFAULT_TOKENS, SWEEP_LADDER, type SweepBudget } from '../../worker/experimentProtocol';
import { commands } from '../app/commands';
import { human, logRuler } from '../shared/ParamScale';
import { useSay, useT } from '../app/useT';
import { NumberField, type NumberLimits } from '../shared/NumberField';

/** Each size's budget: tokens (from about two of the sweep's steps, 16 × 32 = 512 tokens each)… */
const BUDGET_TOKENS: NumberLimits = { min: 1000, step: 1000, integer: true };
/** …or seconds. */
const BUDGET_SECONDS: NumberLimits = { min: 2, max: 600 };

const W = 560;
const H = 210;
const L = 48; // room for the loss axis
const R = 16;
const TOP = 14;
const BOTTOM = 40;

export function SweepView() {
  const t = useT();
  const sweep = useExperiments((s) => s.sweep);
  const raceBusy = useExperiments((s) => s.race.status === 'running');
  const error = useExperiments((s) => (s.error?.what === 'sweep' ? s.error.notice : undefined));
  const say = useSay();
  const model = useFolio((s) => s.model);
  const [kind, setKind] = useState<SweepBudget['kind']>('tokens');
  const [tokens, setTokens] = useState(SWEEP_DEFAULT_TOKENS);
  const [seconds, setSeconds] = useState(SWEEP_DEFAULT_SECONDS);
  /** The largest size, as an index into the ladder; -1: the backend's speed decides. */
  const [largest, setLargest] = useState(-1);
  const sizeParams = (i: number) =>
    paramCount({
      ...SWEEP_LADDER[i]!,
      blockSize: Math.min(SWEEP_CONTEXT, model?.config.blockSize ?? SWEEP_CONTEXT),
      dropout: 0,
      vocabSize: model?.vocabSize ?? 65,
    });
  const busy = sweep.status === 'running' || sweep.status === 'planning';
  const budget: SweepBudget = kind === 'tokens' ? { kind, tokens } : { kind, seconds };
  const p = sweep.progress;
  const n = sweep.sizes.length;
  const fraction = n && p ? (p.index + p.fraction) / n : 0;
  const took = sweep.points.reduce((a, r) => a + r.ms, 0);
  return (
    <div className="sweep" data-testid="sweep" data-status={sweep.status}>
      <h3>{t.sweepTitle}</h3>
      <p className="hint">{t.sweepHint}</p>
      <div className="row wrap">
        <span className="inline-field" role="group" aria-label={t.sweepSame}>
          {t.sweepSame}
          <button className="chip" aria-pressed={kind === 'tokens'} onClick={() => setKind('tokens')}>
            {t.sweepTokens}
          </button>
          <button className="chip" aria-pressed={kind === 'time'} onClick={() => setKind('time')}>
            {t.sweepTime}
          </button>
        </span>
        <label className="inline-field">
          {kind === 'tokens' ? (
            <NumberField key="tokens" {...BUDGET_TOKENS} testId="sweep-budget" value={tokens} onChange={setTokens} style={{ width: '6.5rem' }} />
          ) : (
            <NumberField key="seconds" {...BUDGET_SECONDS} testId="sweep-budget" value={seconds} onChange={setSeconds} style={{ width: '4.5rem' }} />
          )}
          {kind === 'tokens' ? t.sweepTokensEach : t.sweepSecondsEach}
        </label>
        <label className="inline-field">
          {t.sweepLargest}
          <select data-testid="sweep-largest" value={largest} onChange={(e) => setLargest(Number(e.target.value))}>
            <option value={-1}>{t.sweepAuto}</option>
            {SWEEP_LADDER.map((s, i) =>
              i === 0 ? null : (
                <option key={i} value={i}>
                  {t.sweepSize(s.nLayer, s.nEmbd, human(sizeParams(i), t.num))}
                </option>
              ),
            )}
          </select>
        </label>
        <button
          data-testid="sweep-start"
          disabled={!model || busy || raceBusy}
          onClick={() => commands.experiments.startSweep(budget, largest < 0 ? undefined : SWEEP_LADDER.slice(0, largest + 1))}
        >
          {t.sweepStart}
        </button>
        {busy && <button onClick={() => commands.experiments.stopExperiment()}>{t.raceStop}</button>}
      </div>
      {busy && (
        <div aria-live="polite">
          <progress data-testid="sweep-progress" value={fraction} max={1} />
          <p className="muted small" data-testid="sweep-eta">
            {sweep.status === 'planning' || !p ? t.sweepPlanning : t.sweepProgress(p.index + 1, n, t.duration(p.etaMs))}
          </p>
        </div>
      )}
      {error && <p className="error-inline">{say(error)}</p>}
      {!busy && sweep.points.length > 0 && <p className="muted small">{t.sweepDone(sweep.points.length, t.duration(took))}</p>}
      {sweep.dropped.length > 0 && <p className="muted small">{t.sweepDropped(sweep.dropped.map((d) => human(d.params, t.num)).join(', '))}</p>}
      {(sweep.sizes.length > 0 || sweep.points.length > 0) && <SweepPlot live={model?.paramCount} />}
    </div>
  );
}

function SweepPlot({ live }: { live?: number }) {
  const t = useT();
  const { sizes, points: raw } = useExperiments((s) => s.sweep);
  // The sizes share the live model's corpus and tokenizer: its characters per token convert them all.
  const { factor, unit, text } = useShownUnit();
  const points = raw.map((p) => ({ ...p, valLoss: p.valLoss * factor }));
  const params = [...sizes.map((s) => s.params), ...points.map((p) => p.params)];
  const lo = 10 ** Math.floor(Math.log10(Math.min(...params)));
  const hi = Math.max(lo * 100, 10 ** Math.ceil(Math.log10(Math.max(...params))));
  const x = logRuler(lo, hi, L, W - R);
  const losses = points.map((p) => p.valLoss);
  const yLo = losses.length ? Math.floor(Math.min(...losses) * 10) / 10 - 0.1 : 0;
  const yHi = losses.length ? Math.ceil(Math.max(...losses) * 10) / 10 + 0.1 : 1;
  const y = (v: number) => TOP + ((yHi - v) / (yHi - yLo)) * (H - TOP - BOTTOM);
  const axisY = H - BOTTOM;
  const decades = Math.round(Math.log10(hi / lo));
  const sorted = [...points].sort((a, b) => a.params - b.params);
  return (
    <figure className="sweep-plot">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t.sweepLabel} data-testid="sweep-plot">
        <line x1={L} x2={W - R} y1={axisY} y2={axisY} stroke="#888" />
        {Array.from({ length: decades + 1 }, (_, i) => lo * 10 ** i).map((v) => (
          <g key={v}>
            <line x1={x(v)} x2={x(v)} y1={axisY - 4} y2={axisY + 4} stroke="#888" />
            <text x={x(v)} y={axisY + 16} fontSize={10} textAnchor="middle" fill="#555">
              {human(v, t.num)}
            </text>
          </g>
        ))}
        <text x={(L + W - R) / 2} y={H - 6} fontSize={10} textAnchor="middle" fill="#374151">
          {t.sweepAxisX}
        </text>
        <text x={12} y={(TOP + axisY) / 2} fontSize={10} textAnchor="middle" fill="#374151" transform={`rotate(-90 12 ${(TOP + axisY) / 2})`}>
          {t.sweepAxisY(t.unitShort(unit, text))}
        </text>
        {losses.length > 0 &&
          [yLo, (yLo + yHi) / 2, yHi].map((v) => (
            <g key={v}>
              <line x1={L - 4} x2={W - R} y1={y(v)} y2={y(v)} stroke="#eee" />
              <text x={L - 6} y={y(v) + 3} fontSize={10} textAnchor="end" fill="#555">
                {t.fixed(v, 2)}
              </text>
            </g>
          ))}
        {live !== undefined && live >= lo && live <= hi && (
          <g>
            <line x1={x(live)} x2={x(live)} y1={TOP} y2={axisY} stroke="#1f5fa8" strokeDasharray="3 3" />
            <text x={x(live) + 4} y={TOP + 8} fontSize={10} fill="#1f5fa8">
              {t.scaleFolio}
            </text>
          </g>
        )}
        {sizes.map((s) => (
          <circle key={`plan-${s.params}`} cx={x(s.params)} cy={axisY} r={4} fill="#fff" stroke="#c2410c" />
        ))}
        {sorted.length > 1 && (
          <polyline points={sorted.map((p) => `${x(p.params)},${y(p.valLoss)}`).join(' ')} fill="none" stroke="#c2410c" strokeWidth={1.5} />
        )}
        {sorted.map((p) => (
          <g key={p.params} data-testid="sweep-point" data-params={p.params} data-val-loss={p.valLoss.toFixed(4)}>
            <title>{t.sweepPoint(t.num(p.params), t.fixed(p.valLoss, 3))}</title>
            <circle cx={x(p.params)} cy={y(p.valLoss)} r={5} fill="#c2410c" />
            <text x={x(p.params)} y={y(p.valLoss) - 9} fontSize={10} textAnchor="middle" fill="#7c2d12">
              {t.fixed(p.valLoss, 2)}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
