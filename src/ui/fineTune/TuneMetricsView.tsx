/**
 * The fine-tuning stage as it trains: its own chart (loss, and the reward margin (DPO) or
 * reward and KL (RLHF)) with the cost meter's chart beside it, what fitting its data to
 * the context did, and what the stage came to (a KL budget stop, whether RLHF's reward rose).
 */
import { Line } from 'recharts';
import { StepLineChart } from '../shared/StepLineChart';
import { useFolio } from '../../state/store';
import { niceTicks } from '../shared/chartParts';
import { useThrottled } from '../shared/useThrottled';
import { useSay, useT } from '../app/useT';
import { CostView } from './CostView';

/** What the stage said: how its data was fitted (first), what it came to (last). */
function StageNotes() {
  const say = useSay();
  const fit = useFolio((s) => (s.tune.metricsOf === s.model?.id ? s.tune.fit : undefined));
  const outcome = useFolio((s) => (s.tune.metricsOf === s.model?.id ? s.tune.outcome : undefined));
  const fitted = fit && (fit.croppedPrompts || fit.cutCompletions || fit.identical);
  return (
    <>
      {fitted ? (
        <p className="muted small" data-testid="tune-fit">
          {say({ code: 'tuneFit', params: fit })}
        </p>
      ) : null}
      {outcome?.map((n, i) => (
        <p key={i} className="note" data-testid="tune-outcome" data-code={n.code}>
          {say(n)}
        </p>
      ))}
    </>
  );
}

const MAX_POINTS = 300;

export function TuneMetricsView() {
  const t = useT();
  const tune = useThrottled(
    useFolio((s) => s.tune),
    500,
  );
  const m = tune.metrics;
  if (m.length === 0) return null;
  const every = Math.ceil(m.length / MAX_POINTS);
  const data = m.filter((_, i) => i % every === 0 || i === m.length - 1);
  const last = m.at(-1)!;
  const fmt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : t.fixed(v, 3));
  // The numbers of the last step that apply to this method: [label, value, test id].
  const stats: [string, string, string | undefined][] = [
    [t.metricLoss, fmt(last.loss), undefined],
    ...(last.rewardMargin !== undefined ? [[t.metricMargin, fmt(last.rewardMargin), 'tune-margin'] as [string, string, string]] : []),
    ...(last.reward !== undefined ? [[t.metricReward, fmt(last.reward), 'tune-reward'] as [string, string, string]] : []),
    ...(last.kl !== undefined ? [[t.metricKl, fmt(last.kl), 'tune-kl'] as [string, string, string]] : []),
    ...(last.rmAccuracy !== undefined
      ? [[t.metricRmAcc, Number.isNaN(last.rmAccuracy) ? '–' : t.pct(last.rmAccuracy), undefined] as [string, string, undefined]]
      : []),
    ...(last.winRate !== undefined && Number.isFinite(last.winRate) ? [[t.metricWinRate, t.pct(last.winRate), 'tune-win'] as [string, string, string]] : []),
    ...(last.keepKl !== undefined ? [[t.metricKeepKl, fmt(last.keepKl), undefined] as [string, string, undefined]] : []),
  ];
  // Even, round ticks on both axes, written in the page's language.
  const values = data.flatMap((d) => [d.loss, d.rewardMargin, d.reward, d.kl]).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const y = niceTicks(Math.min(0, ...values), Math.max(...values));
  const x = niceTicks(data[0]!.step, last.step, 4);
  return (
    <div className="tune-metrics" data-testid="tune-metrics" data-points={m.length}>
      <h3>
        {t.tuneMetrics} <span className="muted small">({tune.method?.toUpperCase()})</span>
      </h3>
      <dl className="stats">
        {stats.map(([label, value, testid]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd data-testid={testid}>{value}</dd>
          </div>
        ))}
      </dl>
      <StageNotes />
      <div className="two-columns">
        <StepLineChart data={data} x={x} y={y}>
          <Line type="monotone" dataKey="loss" name={t.metricLoss} stroke="#1f5fa8" dot={false} isAnimationActive={false} />
          {last.rewardMargin !== undefined && (
            <Line type="monotone" dataKey="rewardMargin" name={t.metricMargin} stroke="#2e7d32" dot={false} isAnimationActive={false} />
          )}
          {last.reward !== undefined && <Line type="monotone" dataKey="reward" name={t.metricReward} stroke="#2e7d32" dot={false} isAnimationActive={false} />}
          {last.kl !== undefined && <Line type="monotone" dataKey="kl" name={t.metricKl} stroke="#c2410c" dot={false} isAnimationActive={false} />}
        </StepLineChart>
        <CostView metrics={m} budget={tune.klBudget} />
      </div>
    </div>
  );
}
