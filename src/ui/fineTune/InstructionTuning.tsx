/**
 * Instruction tuning in the panel: pairs of a question and its answer — the bundled fox
 * set, a JSON Lines file, or the person's own, typed and written in the format of the
 * pairs already there — every one listed (the list scrolls), a stage to train on them,
 * and the chat box to ask the tuned model.
 */
import { useState } from 'react';
import { useFolio } from '../../state/store';
import { inferFormat, PLAIN_FORMAT } from '../../train/finetune/qaFormat';
import { commands } from '../app/commands';
import { useT } from '../app/useT';
import { NumberField } from '../shared/NumberField';
import { ChatBox } from './ChatBox';
import { JsonlFileButton, TUNE_STEPS } from './parts';
import type { StageChoice } from './StageOptions';

const visible = (s: string) => s.replace(/\n/g, '⏎');

export function InstructionTuning({ choice }: { choice: StageChoice }) {
  const t = useT();
  const examples = useFolio((s) => s.tune.examples);
  const busy = useFolio((s) => s.run.state === 'running' || !s.model);
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState('');
  const [steps, setSteps] = useState(200);
  const f = examples.length ? inferFormat(examples) : PLAIN_FORMAT;
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
      {examples.length > 0 && (
        <ol className="tune-list small" data-testid="sft-examples" data-count={examples.length}>
          {examples.map((e, i) => (
            <li key={i}>
              <code>{visible(e.prompt)}</code> → <code>{visible(e.completion)}</code>{' '}
              <button className="link" onClick={() => commands.fineTune.deleteInstruction(i)}>
                {t.deleteRating}
              </button>
            </li>
          ))}
        </ol>
      )}
      <p className="muted small">{t.ownPairsHint(visible(f.before), visible(f.after), visible(f.end))}</p>
      <form
        className="row wrap"
        onSubmit={(e) => {
          e.preventDefault();
          commands.fineTune.addInstruction(question, answer);
          setQuestion('');
          setAnswer('');
        }}
      >
        <input
          aria-label={t.promptField}
          placeholder={t.promptField}
          data-testid="sft-question"
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
        />
        <input
          aria-label={t.completionField}
          placeholder={t.completionField}
          data-testid="sft-answer"
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
        />
        <button className="secondary" data-testid="sft-add">
          {t.addPair}
        </button>
      </form>
      <div className="row wrap">
        <label className="inline-field">
          {t.tuneSteps} <NumberField {...TUNE_STEPS} testId="sft-steps" value={steps} onChange={setSteps} />
        </label>
        <button data-testid="sft-train" disabled={busy || examples.length === 0} onClick={() => commands.fineTune.tune('sft', steps, choice)}>
          {t.tuneSft}
        </button>
      </div>
      <ChatBox />
    </details>
  );
}
