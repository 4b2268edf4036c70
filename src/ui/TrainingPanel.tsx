/** Start, pause, step; where training is; the latest sample the model wrote. */
import { commands } from '../state/bridge';
import { useFolio } from '../state/store';
import { LossChart } from './LossChart';

function fmtTime(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function TrainingPanel() {
  const run = useFolio((s) => s.run);
  const model = useFolio((s) => s.model);
  const sample = useFolio((s) => s.samples[s.samples.length - 1]);
  const lastLoss = useFolio((s) => s.losses[s.losses.length - 1]?.loss);
  const lastVal = useFolio((s) => s.evals[s.evals.length - 1]?.val);
  const running = run.state === 'running';
  return (
    <section className="panel" aria-labelledby="training-h">
      <h2 id="training-h">Training</h2>
      <p className="hint">Each step shows the model a batch of text and nudges every parameter to make the real next tokens more likely (backpropagation).</p>
      <div className="row">
        {running ? (
          <button data-testid="train-pause" onClick={commands.pause}>
            Pause
          </button>
        ) : (
          <button data-testid="train-start" disabled={!model || run.state === 'done'} onClick={run.step > 0 ? commands.resume : commands.start}>
            {run.step > 0 ? 'Resume' : 'Train'}
          </button>
        )}
        <button onClick={commands.step} disabled={!model || running}>
          Step
        </button>
        <button onClick={commands.reset} disabled={!model}>
          Reset
        </button>
      </div>
      <p className="stats">
        step <span data-testid="step-count">{run.step}</span> / {run.targetSteps}
        {' · '}
        {Math.round(run.tokensPerSec).toLocaleString('en')} tokens/s · {fmtTime(run.elapsedMs)}
        {lastLoss !== undefined && ` · loss ${lastLoss.toFixed(3)}`}
        {lastVal !== undefined && ` · val ${lastVal.toFixed(3)}`}
      </p>
      <progress max={run.targetSteps || 1} value={run.step} aria-label="training progress" />
      {/* A recharts redraw takes ~100 ms of main thread on a slow machine (measured in
          tests/browser/page.test.ts), which would stutter the page every step; until the
          chart is made cheaper (the playground issue) it is drawn when training stops. */}
      {running ? (
        <p className="muted">The loss chart is drawn when you pause.</p>
      ) : (
        <LossChart />
      )}
      {sample && (
        <figure className="sample">
          <figcaption>The model writes, at step {sample.step}:</figcaption>
          <pre>{sample.text}</pre>
        </figure>
      )}
    </section>
  );
}
