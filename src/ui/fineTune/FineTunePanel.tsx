/**
 * Pre-training → instruction tuning → human feedback, on the model in the page: which
 * stages it went through, what every stage keeps and may cost (the hold on what it knew, the KL budget),
 * instruction pairs to tune on and a box to ask the tuned model, two samples to judge, and
 * a stage to train (RLHF or DPO) with its metrics, its cost and a before/after view of the
 * ranked words; with a pretrained GPT-2 loaded, LoRA on it (GuestLora.tsx). No training logic here: every action is a command to the worker.
 */
import { useMemo, useState } from 'react';
import { useFolio } from '../../state/store';
import { defaultBeta, type TuneMethod } from '../../train/finetune/tuneConfig';
import { withPretraining } from '../../train/run';
import { commands } from '../app/commands';
import { FeedbackPair, RatingsReview } from './FeedbackPair';
import { TuneMetricsView } from './TuneMetricsView';
import { BeforeAfter } from './BeforeAfter';
import { InstructionTuning } from './InstructionTuning';
import { GuestLora } from './GuestLora';
import { JsonlFileButton, TUNE_STEPS } from './parts';
import { DEFAULT_CHOICE, StageOptions, type StageChoice } from './StageOptions';
import { useT } from '../app/useT';
import { Panel } from '../shared/Panel';
import { NumberField, type NumberLimits } from '../shared/NumberField';

/** How far the tuned model may drift from the reference (RLHF's KL weight, DPO's temperature). */
const BETA: NumberLimits = { min: 0, max: 10, step: 0.01 };

/** The pipeline, with the stage the model is at. */
function StagePipeline() {
  const t = useT();
  const saved = useFolio((s) => s.tune.stages);
  // The worker reports stages when one starts or a model loads; pre-training since then shows as it runs.
  const pretraining = useFolio((s) => !!s.model && (s.run.stage ?? 'pretrain') === 'pretrain');
  const step = useFolio((s) => s.run.step);
  const stages = useMemo(() => (pretraining ? withPretraining(saved, step) : saved), [saved, pretraining, step]);
  const last = stages.at(-1)?.kind ?? 'pretrain';
  const current = last === 'dpo' || last === 'rlhf' ? 'feedback' : last;
  const names = { pretrain: t.stagePretrain, sft: t.stageSft, feedback: t.stageFeedback } as const;
  const done = stages.map(
    (s) => `${s.kind === 'pretrain' ? t.stagePretrain : s.kind === 'sft' ? t.stageSft : `${t.stageFeedback} (${s.kind.toUpperCase()})`} ×${s.steps}`,
  );
  return (
    <>
      <ol className="pipeline" data-testid="feedback-stage" data-stage={current}>
        {(['pretrain', 'sft', 'feedback'] as const).map((k) => (
          <li key={k} aria-current={k === current ? 'step' : undefined}>
            {names[k]}
          </li>
        ))}
      </ol>
      {done.length > 0 && (
        <p className="muted small" data-testid="stages-done">
          {t.stagesDone(done.join(' → '))}
        </p>
      )}
    </>
  );
}

function HumanFeedback({ choice }: { choice: StageChoice }) {
  const t = useT();
  const ratings = useFolio((s) => s.tune.ratings);
  const busy = useFolio((s) => s.run.state === 'running' || !s.model);
  const [method, setMethod] = useState<TuneMethod>('rlhf');
  // Each method its own β (DPO's temperature 0.1, RLHF's KL weight 0.3): switching keeps what was typed for each.
  const [betas, setBetas] = useState<Record<'rlhf' | 'dpo', number>>({ rlhf: defaultBeta('rlhf'), dpo: defaultBeta('dpo') });
  const beta = betas[method === 'dpo' ? 'dpo' : 'rlhf'];
  const setBeta = (b: number) => setBetas((x) => ({ ...x, [method === 'dpo' ? 'dpo' : 'rlhf']: b }));
  const [steps, setSteps] = useState(120);
  const pairs = ratings.filter((r) => 'chosen' in r).length;
  return (
    <div className="tune-section">
      <h3>{t.feedbackTitle}</h3>
      <p className="hint">{t.feedbackHint}</p>
      <FeedbackPair />
      <p className="muted small" data-testid="feedback-count" data-count={ratings.length}>
        {t.ratingsCount(ratings.length, pairs)}
      </p>
      <div className="row wrap">
        <button className="secondary" data-testid="feedback-examples" onClick={() => void commands.fineTune.loadExampleFeedback()}>
          {t.loadFeedback}
        </button>
        <JsonlFileButton kind="feedback" />
      </div>
      <RatingsReview />
      <div className="row wrap">
        <label className="inline-field">
          {t.method}{' '}
          <select data-testid="feedback-method" value={method} onChange={(e) => setMethod(e.target.value as TuneMethod)}>
            <option value="rlhf">RLHF</option>
            <option value="dpo">DPO</option>
          </select>{' '}
          {/* The long name beside the list, where it can wrap (an option's text cannot, and was cut on a phone). */}
          <span className="muted small" data-testid="feedback-method-name">
            {method === 'rlhf' ? t.methodRlhf : t.methodDpo}
          </span>
        </label>
        <label className="inline-field" title={t.betaHint}>
          {t.beta} <NumberField {...BETA} testId="feedback-beta" value={beta} onChange={setBeta} />
        </label>
        <label className="inline-field">
          {t.tuneSteps} <NumberField {...TUNE_STEPS} testId="feedback-steps" value={steps} onChange={setSteps} />
        </label>
        <button data-testid="feedback-train" disabled={busy || pairs === 0} onClick={() => commands.fineTune.tune(method, steps, { beta, ...choice })}>
          {t.trainFeedback}
        </button>
      </div>
      <p className="muted small">{t.betaHint}</p>
    </div>
  );
}

export function FineTunePanel() {
  const t = useT();
  const [choice, setChoice] = useState<StageChoice>(DEFAULT_CHOICE);
  return (
    <Panel id="tune-h" className="finetune" title={t.tuneTitle} hint={t.tuneHint}>
      <StagePipeline />
      <StageOptions value={choice} onChange={setChoice} />
      <InstructionTuning choice={choice} />
      <HumanFeedback choice={choice} />
      <GuestLora />
      <TuneMetricsView />
      <BeforeAfter />
    </Panel>
  );
}
