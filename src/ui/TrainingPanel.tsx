/** Train, pause, resume, one step; how far the run is; the loss chart; the samples feed. */
import { commands } from '../state/bridge';
import { useFolio } from '../state/store';
import { useT } from './i18n';
import { LossChart } from './LossChart';
import { SamplesFeed } from './SamplesFeed';

export function fmtTime(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function TrainButtons() {
  const t = useT();
  const state = useFolio((s) => s.run.state);
  const step = useFolio((s) => s.run.step);
  const ready = useFolio((s) => !!s.model && !s.busy);
  const running = state === 'running';
  return (
    <div className="row wrap">
      {running ? (
        <button data-testid="train-pause" onClick={commands.pause}>
          {t.pause}
        </button>
      ) : (
        <button data-testid="train-start" disabled={!ready} onClick={commands.trainFromScratch} title={step > 0 ? t.trainFromScratchTitle : undefined}>
          {step > 0 ? t.trainFromScratch : t.trainFirst}
        </button>
      )}
      {!running && step > 0 && (
        <button data-testid="resume" className="secondary" disabled={!ready} onClick={commands.resume}>
          {state === 'paused' ? t.resume : t.continueTraining}
        </button>
      )}
      <button className="secondary" onClick={commands.step} disabled={!ready || running}>
        {t.stepOnce}
      </button>
      <StepsInput />
    </div>
  );
}

function StepsInput() {
  const t = useT();
  const steps = useFolio((s) => s.settings.steps);
  return (
    <label className="inline-field">
      {t.targetSteps}{' '}
      <input
        type="number"
        min={1}
        max={1_000_000}
        step={100}
        value={steps}
        onChange={(e) => {
          const v = Math.floor(Number(e.target.value));
          if (v >= 1 && v <= 1_000_000) commands.setSteps(v);
        }}
      />
    </label>
  );
}

function RunStats() {
  const t = useT();
  const run = useFolio((s) => s.run);
  const lastLoss = useFolio((s) => s.losses[s.losses.length - 1]?.loss);
  const lastVal = useFolio((s) => s.evals[s.evals.length - 1]?.val);
  const trainedHere = useFolio((s) => s.trainedHere);
  // ETA from this run's own pace: steps left × (time so far / steps trained here).
  const left = run.targetSteps - run.step;
  const eta = trainedHere > 0 && run.elapsedMs > 0 && left > 0 ? (left * run.elapsedMs) / trainedHere : NaN;
  return (
    <>
      <dl className="stats">
        <div>
          <dt>{t.stepOf}</dt>
          <dd>
            <span data-testid="step-count">{run.step}</span> / {run.targetSteps}
          </dd>
        </div>
        <div>
          <dt>{t.loss}</dt>
          <dd data-testid="train-loss">{lastLoss !== undefined ? lastLoss.toFixed(3) : '–'}</dd>
        </div>
        <div>
          <dt>{t.valLoss}</dt>
          <dd data-testid="val-loss">{lastVal !== undefined ? lastVal.toFixed(3) : '–'}</dd>
        </div>
        <div>
          <dt>{t.tokensPerSec}</dt>
          <dd>{run.tokensPerSec > 0 ? Math.round(run.tokensPerSec).toLocaleString('en') : '–'}</dd>
        </div>
        <div>
          <dt>{t.elapsed}</dt>
          <dd>{fmtTime(run.elapsedMs)}</dd>
        </div>
        <div>
          <dt>{t.eta}</dt>
          <dd>{run.state === 'running' ? fmtTime(eta) : '–'}</dd>
        </div>
        <div>
          <dt>{t.lr}</dt>
          <dd>{run.lr ? run.lr.toExponential(1) : '–'}</dd>
        </div>
      </dl>
      <progress max={run.targetSteps || 1} value={Math.min(run.step, run.targetSteps || 1)} aria-label={`${t.stepOf} ${run.step} / ${run.targetSteps}`} />
    </>
  );
}

function DemoNote() {
  const t = useT();
  const demo = useFolio((s) => s.demo);
  const model = useFolio((s) => s.model);
  if (!demo || !model) return null;
  return <p className="note">{t.demoModel(model.corpusName, model.step)}</p>;
}

export function TrainingPanel() {
  const t = useT();
  const state = useFolio((s) => s.run.state);
  return (
    <section className="panel training" aria-labelledby="training-h">
      <h2 id="training-h">
        {t.trainTitle} <span className={`state state-${state}`}>{t.stateNames[state]}</span>
      </h2>
      <p className="hint">{t.trainHint}</p>
      <DemoNote />
      <TrainButtons />
      <RunStats />
      <LossChart />
      <SamplesFeed />
    </section>
  );
}
