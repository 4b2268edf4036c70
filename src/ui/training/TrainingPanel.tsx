/** Train, pause, resume, one step; how far the run is; the loss chart; the samples feed. */
import { paceOf } from '../../state/pace';
import { MAX_TRAIN_STEPS } from '../../config';
import { commands } from '../app/commands';
import { learningRateNow, useFolio, useModelId, useTotalSteps } from '../../state/store';
import { useT } from '../app/useT';
import { useExperiments } from '../../state/experiments';
import { CheckpointTools } from './CheckpointTools';
import { LossChart } from './LossChart';
import { CoachView } from './CoachView';
import { RunsPanel } from './RunsPanel';
import { SamplesFeed } from './SamplesFeed';
import { corpusDisplayName } from '../shared/corpusTitle';
import { Panel } from '../shared/Panel';
import { InlineError } from '../shared/InlineError';
import { NumberField, type NumberLimits } from '../shared/NumberField';
import { useShownUnit } from '../../state/lossUnit';

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
  // A race or a sweep has the worker: training waits for it (and goes on after it by itself).
  const experimenting = useExperiments((s) => s.race.status === 'running' || s.sweep.status === 'running' || s.sweep.status === 'planning');
  const ready = useFolio((s) => !!s.model && !s.busy) && !experimenting;
  // While the banner offers a saved model, its button is the page's one `resume` hook.
  const offer = useFolio((s) => !!s.resumeOffer);
  const running = state === 'running';
  return (
    <div className="row wrap">
      {experimenting && (
        <p className="note small" data-testid="train-waits">
          {t.trainWaitsForExperiment}
        </p>
      )}
      {running ? (
        <button data-testid="train-pause" onClick={commands.training.pause}>
          {t.pause}
        </button>
      ) : (
        <button data-testid="train-start" disabled={!ready} onClick={commands.training.trainFromScratch} title={step > 0 ? t.trainFromScratchTitle : undefined}>
          {step > 0 ? t.trainFromScratch : t.trainFirst}
        </button>
      )}
      {!running && step > 0 && (
        <button data-testid={offer ? 'train-resume' : 'resume'} className="secondary" disabled={!ready} onClick={commands.training.resume}>
          {state === 'paused' ? t.resume : t.continueTraining}
        </button>
      )}
      <button className="secondary" onClick={commands.training.step} disabled={!ready || running}>
        {t.stepOnce}
      </button>
      <StepsInput />
      <LearningRateInput />
    </div>
  );
}

/** A run's target: what config's isTrainSteps accepts. */
const TARGET_STEPS: NumberLimits = { min: 1, max: MAX_TRAIN_STEPS, step: 100, integer: true };
/** The peak learning rate; an empty box (0) is the preset's own. */
const LEARNING_RATE: NumberLimits = { min: 0, step: 'any', empty: 0 };

function StepsInput() {
  const t = useT();
  const steps = useFolio((s) => s.settings.steps);
  return (
    <label className="inline-field">
      {t.targetSteps} <NumberField {...TARGET_STEPS} testId="steps-input" value={steps} onChange={commands.training.setSteps} invalidText={t.stepsInvalid} />
    </label>
  );
}

/** The peak learning rate of the next "Train from scratch": try 10 to see a run blow up (and recover). */
function LearningRateInput() {
  const t = useT();
  const lr = useFolio((s) => s.settings.lr);
  const preset = useFolio((s) => s.model?.train.learningRate);
  return (
    <label className="inline-field" title={t.lrHint}>
      {t.lrLabel}{' '}
      <NumberField
        {...LEARNING_RATE}
        testId="learning-rate"
        placeholder={preset !== undefined ? t.rate(preset) : ''}
        value={lr > 0 ? lr : 0}
        onChange={(lr) => useFolio.get().setSettings({ lr })}
      />
    </label>
  );
}

function RunStats() {
  const t = useT();
  const run = useFolio((s) => s.run);
  const thisRun = useFolio((s) => s.thisRun);
  const modelId = useModelId();
  const totalSteps = useTotalSteps();
  // A fine-tuning stage's loss is its own (the tune metrics), not pre-training's last one.
  const lastLoss = useFolio((s) =>
    (s.run.stage ?? 'pretrain') === 'pretrain'
      ? s.losses[s.losses.length - 1]?.loss
      : s.tune.metricsOf === s.model?.id
        ? s.tune.metrics.at(-1)?.loss
        : undefined,
  );
  const lastVal = useFolio((s) => s.evals[s.evals.length - 1]?.val);
  // In the unit the chart shows (nats per token, or bits per character).
  const { live, trainFactor, unit, text } = useShownUnit();
  const short = t.unitShort(unit, text);
  const tokensPerStep = useFolio((s) => (s.model ? s.model.train.batchSize * s.model.config.blockSize : 0));
  const running = run.state === 'running';
  const stage = run.stage ?? 'pretrain';
  // Time left at the pace of the last minute of wall time (state/pace.ts); in a run's first
  // 10 s, from tokens/s, which counts the steps alone and so runs a little short.
  const pace = useFolio((s) => paceOf(s.pace));
  const left = run.targetSteps - run.step;
  const eta =
    !running || left <= 0 ? NaN : pace !== undefined ? (left * 1000) / pace : run.tokensPerSec > 0 ? (left * tokensPerStep * 1000) / run.tokensPerSec : NaN;
  return (
    <>
      <dl className="stats">
        <div>
          {/* A fine-tuning stage counts its own steps (the model's pre-training step stays, e.g. 600): say which count this is. */}
          <dt data-testid="step-label">
            {stage === 'pretrain' ? t.stepOf : t.tuneStepOf(stage === 'sft' ? t.stageSft : `${t.stageFeedback} (${stage.toUpperCase()})`)}
          </dt>
          <dd>
            {/* A target only once a run has one: a loaded model's "600 / 1000" read as a run 60 % done. */}
            <span data-testid="step-count" data-step={run.step} data-model-id={modelId} data-total-steps={totalSteps}>
              {t.num(run.step)}
            </span>
            {thisRun && ` / ${t.num(run.targetSteps)}`}
          </dd>
        </div>
        <div>
          <dt>
            {t.loss} <small className="muted">{short}</small>
          </dt>
          <dd data-testid="train-loss" data-unit={unit}>
            {lastLoss !== undefined ? t.fixed(lastLoss * trainFactor, 3) : '–'}
          </dd>
        </div>
        <div>
          <dt>
            {t.valLoss} <small className="muted">{short}</small>
          </dt>
          <dd data-testid="val-loss" data-unit={unit}>
            {lastVal !== undefined ? t.fixed(live(lastVal), 3) : '–'}
          </dd>
        </div>
        <div>
          <dt>{t.tokensPerSec}</dt>
          <dd>{running && run.tokensPerSec > 0 ? t.num(Math.round(run.tokensPerSec)) : '–'}</dd>
        </div>
        <div>
          <dt>{t.elapsed}</dt>
          <dd>{fmtTime(run.elapsedMs)}</dd>
        </div>
        <div>
          <dt>{t.eta}</dt>
          <dd>{running ? fmtTime(eta) : '–'}</dd>
        </div>
        <div>
          <dt>{t.lr}</dt>
          <dd data-testid="run-lr">{run.lr ? t.rate(run.lr) : '–'}</dd>
        </div>
      </dl>
      <RunProgress />
    </>
  );
}

/** How far the current run is toward its target, counted from where it started (empty before any run). */
function RunProgress() {
  const t = useT();
  const step = useFolio((s) => s.run.step);
  const target = useFolio((s) => s.run.targetSteps);
  const from = useFolio((s) => s.thisRun?.from);
  const total = from === undefined ? 0 : Math.max(0, target - from);
  const done = from === undefined ? 0 : Math.min(total, Math.max(0, step - from));
  return <progress data-testid="run-progress" max={total || 1} value={done} aria-label={from === undefined ? t.noRun : t.runProgress(done, total)} />;
}

/**
 * The learning rate the next step uses and why: the model's own schedule, not the
 * number typed beside it, which only a new "Train from scratch" takes up.
 */
function LearningRateInUse() {
  const t = useT();
  const now = useFolio(learningRateNow);
  const step = useFolio((s) => s.run.step);
  const train = useFolio((s) => s.model?.train);
  const typed = useFolio((s) => s.settings.lr);
  const stage = useFolio((s) => s.run.stage ?? 'pretrain');
  const stageLr = useFolio((s) => s.run.lr);
  if (now === undefined || !train) return null;
  // A fine-tuning stage steps at its own constant rate, not on the pre-training schedule.
  if (stage !== 'pretrain')
    return (
      <p className="muted small lr-used" data-testid="learning-rate-used" data-value={stageLr}>
        {t.lrInUse(t.rate(stageLr))} — {t.lrStage}.
      </p>
    );
  // A fork's schedule starts at its own first step (scheduleFrom): the steps said are absolute.
  const from = train.scheduleFrom ?? 0;
  const why =
    step - from < train.warmupSteps
      ? t.lrWarmup(t.rate(train.learningRate), train.warmupSteps)
      : step - from < train.decaySteps
        ? t.lrDecay(t.rate(train.learningRate), t.rate(train.minLearningRate), from + train.decaySteps)
        : t.lrFloor(from + train.decaySteps);
  return (
    <p className="muted small lr-used" data-testid="learning-rate-used" data-value={now}>
      {t.lrInUse(t.rate(now))} — {why}.{typed > 0 && typed !== train.learningRate && <strong> {t.lrTyped(t.rate(typed))}</strong>}
    </p>
  );
}

/** What kind of model this is: the bundled trained one, or fresh random weights. */
function ModelNote() {
  const t = useT();
  const demo = useFolio((s) => s.demo);
  const model = useFolio((s) => s.model);
  const fresh = useFolio((s) => s.run.step === 0 && s.run.state === 'idle');
  // A checkpoint may bring its loss curve (an autosave does; the bundled one does not).
  const lastLoss = useFolio((s) => s.losses.at(-1)?.loss);
  if (!model) return null;
  if (demo)
    return (
      <p className="note" data-testid="trained-model">
        {t.demoModel(corpusDisplayName(t, model.corpusName), model.step, lastLoss === undefined ? undefined : t.fixed(lastLoss, 3))}
      </p>
    );
  if (fresh)
    return (
      <p className="note" data-testid="fresh-model">
        {t.freshModel}
      </p>
    );
  return null;
}

/** The run's state; a loaded trained model that nobody has trained here yet is "trained", not just "ready". */
function RunState() {
  const t = useT();
  const state = useFolio((s) => s.run.state);
  const trained = useFolio((s) => s.demo && s.run.state === 'idle');
  // Before the first model is in (the backend still being chosen) or while one is built, "ready" would be untrue.
  // A first build that failed (its reason is in the alert above) leaves no model, and nothing is loading any more.
  const loading = useFolio((s) => s.run.state === 'idle' && (s.busy || (!s.model && !s.backend)));
  const none = useFolio((s) => s.run.state === 'idle' && !s.model);
  const shown = loading ? 'loading' : none ? 'none' : trained ? 'trained' : state;
  return (
    <span className={`state state-${shown}`} data-testid="run-state" data-state={shown}>
      {loading ? t.stateLoading : none ? t.stateNoModel : trained ? t.stateTrained : t.stateNames[state]}
    </span>
  );
}

export function TrainingPanel() {
  const t = useT();
  return (
    <Panel
      id="training-h"
      className="training"
      title={
        <>
          {t.trainTitle} <RunState />
        </>
      }
      hint={t.trainHint}
    >
      <ModelNote />
      <TrainButtons />
      <InlineError scope="train" />
      <LearningRateInUse />
      <RunStats />
      <LossChart />
      <CoachView />
      <RunsPanel />
      <SamplesFeed />
      <CheckpointTools />
    </Panel>
  );
}
