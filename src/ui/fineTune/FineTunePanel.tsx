/**
 * Pre-training → instruction tuning → human feedback, on the model in the page: which
 * stages it went through, instruction pairs to tune on, two samples to judge, and a stage
 * to train (RLHF or DPO) with its metrics and a before/after view of the ranked words.
 * No training logic here: every action is a command to the worker.
 */
import { useMemo, useState } from 'react';
import { useFolio } from '../../state/store';
import type { TuneMethod } from '../../train/finetune/preference';
import { withPretraining } from '../../train/run';
import { commands } from '../app/commands';
import { FeedbackPair, RatingsReview } from './FeedbackPair';
import { TuneMetricsView } from './TuneMetricsView';
import { BeforeAfter } from './BeforeAfter';
import { useT } from '../app/useT';
import { Panel } from '../shared/Panel';
import { NumberField, type NumberLimits } from '../shared/NumberField';

/** Steps of one fine-tuning stage (instruction tuning, RLHF or DPO). */
const TUNE_STEPS: NumberLimits = { min: 1, max: 5000, integer: true };
/** How far the tuned model may drift from the reference (RLHF's KL weight, DPO's temperature). */
const BETA: NumberLimits = { min: 0, max: 10, step: 0.01 };

/** Add a JSON Lines file of instruction pairs or of preference ratings. */
function JsonlFileButton({ kind }: { kind: 'instructions' | 'feedback' }) {
  const t = useT();
  return (
    <label className="secondary file-button">
      {t.uploadJsonl}
      <input
        type="file"
        accept=".jsonl,.json,.txt"
        className="visually-hidden"
        onChange={(e) => e.target.files?.[0] && void commands.fineTune.uploadTuneFile(e.target.files[0], kind)}
      />
    </label>
  );
}

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

function InstructionTuning() {
  const t = useT();
  const examples = useFolio((s) => s.tune.examples);
  const busy = useFolio((s) => s.run.state === 'running' || !s.model);
  const [prompt, setPrompt] = useState('');
  const [completion, setCompletion] = useState('');
  const [steps, setSteps] = useState(200);
  return (
    <details className="tune-section">
      <summary>
        <strong>{t.sftTitle}</strong> <span className="muted small">{t.examplesCount(examples.length)}</span>
      </summary>
      <p className="hint">{t.sftHint}</p>
      <div className="row wrap">
        <button className="secondary" onClick={() => void commands.fineTune.loadExampleInstructions()}>
          {t.loadExamples}
        </button>
        <JsonlFileButton kind="instructions" />
      </div>
      <div className="row wrap">
        <input aria-label={t.promptField} placeholder={t.promptField} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        <input aria-label={t.completionField} placeholder={t.completionField} value={completion} onChange={(e) => setCompletion(e.target.value)} />
        <button className="secondary" onClick={() => (commands.fineTune.addInstruction(prompt, completion), setPrompt(''), setCompletion(''))}>
          {t.addPair}
        </button>
      </div>
      {examples.length > 0 && (
        <ul className="tune-list small">
          {examples.slice(-6).map((e, i) => (
            <li key={`${examples.length - 6 + i}`}>
              <code>{e.prompt}</code> → <code>{e.completion}</code>{' '}
              <button className="link" onClick={() => commands.fineTune.deleteInstruction(Math.max(0, examples.length - 6) + i)}>
                {t.deleteRating}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="row wrap">
        <label className="inline-field">
          {t.tuneSteps} <NumberField {...TUNE_STEPS} value={steps} onChange={setSteps} />
        </label>
        <button data-testid="sft-train" disabled={busy || examples.length === 0} onClick={() => commands.fineTune.tune('sft', steps)}>
          {t.tuneSft}
        </button>
      </div>
    </details>
  );
}

function HumanFeedback() {
  const t = useT();
  const ratings = useFolio((s) => s.tune.ratings);
  const busy = useFolio((s) => s.run.state === 'running' || !s.model);
  const [method, setMethod] = useState<TuneMethod>('rlhf');
  const [beta, setBeta] = useState(0.1);
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
          {t.beta} <NumberField {...BETA} value={beta} onChange={setBeta} />
        </label>
        <label className="inline-field">
          {t.tuneSteps} <NumberField {...TUNE_STEPS} value={steps} onChange={setSteps} />
        </label>
        <button data-testid="feedback-train" disabled={busy || pairs === 0} onClick={() => commands.fineTune.tune(method, steps, beta)}>
          {t.trainFeedback}
        </button>
      </div>
      <p className="muted small">{t.betaHint}</p>
    </div>
  );
}

export function FineTunePanel() {
  const t = useT();
  return (
    <Panel id="tune-h" className="finetune" title={t.tuneTitle} hint={t.tuneHint}>
      <StagePipeline />
      <InstructionTuning />
      <HumanFeedback />
      <TuneMetricsView />
      <BeforeAfter />
    </Panel>
  );
}
