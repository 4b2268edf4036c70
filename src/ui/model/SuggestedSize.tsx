/**
 * "Suggested size for wasm: the “cpu” preset — a step of it took 68 ms here, so a first sample after about 7 s": the size this
 * backend can train, from its measured speed (state/sizeCommands.ts asks the worker to time
 * each preset once; train/sizeAdvice.ts picks). Until the numbers come, a guess by backend
 * kind, said as a guess. Choosing the suggestion sets the preset draft.
 */
import { useEffect } from 'react';
import type { ModelPresetName } from '../../config';
import { adviseSize, firstSampleSeconds } from '../../train/sizeAdvice';
import { SAMPLE_EVERY } from '../../state/sessionConfig';
import { useFolio } from '../../state/store';
import type { BackendReport } from '../../worker/protocol';
import { commands } from '../app/commands';
import { useT } from '../app/useT';

/** Before any measurement: small models on CPU-like backends, larger on a real GPU. */
export function guessedPreset(b: BackendReport | undefined): ModelPresetName {
  if (!b || b.adapter?.isSoftware) return b ? 'tiny' : 'nano';
  if (b.name === 'webgpu' || b.name === 'webgl') return b.name === 'webgpu' ? 'baby' : 'cpu';
  return b.name === 'cpu' ? 'tiny' : 'nano';
}

/** The suggested preset, and the measured step time it rests on (none while guessing). */
export function useSuggestedSize(): { preset: ModelPresetName; msPerStep?: number } {
  const backend = useFolio((s) => s.backend);
  const advice = useFolio((s) => s.sizeAdvice);
  if (!advice) return { preset: guessedPreset(backend) };
  const preset = adviseSize(advice.timings, advice.budgetMs);
  return { preset, msPerStep: advice.timings.find((t) => t.preset === preset)?.msPerStep };
}

export function SuggestedSize({ onChoose }: { onChoose: (p: ModelPresetName) => void }) {
  const t = useT();
  const backend = useFolio((s) => s.backend);
  const ready = useFolio((s) => !!s.model && !s.busy);
  const running = useFolio((s) => s.run.state === 'running');
  const { preset, msPerStep } = useSuggestedSize();
  // Measure once the first screen has settled, and again after a run (never during one).
  useEffect(() => {
    if (!ready || running) return;
    const timer = setTimeout(() => commands.model.adviseSize(), 1500);
    return () => clearTimeout(timer);
  }, [ready, running, backend]);
  if (!backend) return null;
  const measured = msPerStep !== undefined;
  return (
    <span className="muted" data-testid="suggested-size" data-preset={preset} data-measured={measured} data-ms-per-step={msPerStep?.toFixed(1)}>
      {t.suggested(preset, backend.name)}
      {measured
        ? ` — ${t.suggestedWhy(t.num(Math.round(msPerStep)), t.num(Math.max(1, Math.round(firstSampleSeconds(msPerStep, SAMPLE_EVERY)))))}`
        : backend.adapter?.isSoftware
          ? ` — ${t.suggestedSoftware}`
          : ` ${t.suggestedGuess}`}{' '}
      <button type="button" className="link" onClick={() => onChoose(preset)}>
        {t.suggestedUse}
      </button>
    </span>
  );
}
