/**
 * The model panel's commands: another size (built by the corpus panel's builder), and the
 * suggested model size, from this backend's measured speed: the page asks the worker to
 * time a few steps of each preset (worker/sizeProbe.ts) once per backend and vocabulary, and
 * remembers the timings in this browser, so a reload suggests at once and measures nothing.
 * The choice itself is train/sizeAdvice.ts; this file only asks, stores and remembers.
 */
import { isModelPreset, type ModelConfig } from '../../config';
import { stepBudgetMs, type PresetTiming } from '../../train/sizeAdvice';
import type { BackendReport } from '../../worker/protocol';
import { SAMPLE_EVERY } from '../sessionConfig';
import { storedSetting, writeSetting } from '../settings';
import type { Settings } from '../store';
import type { ModelBuilder } from './corpus';
import type { PageContext } from './context';

const SETTING = 'folio.sizeTimings';

/** Timings hold for one backend as it runs (its threads included) and one vocabulary size. */
export function sizeKey(b: BackendReport, vocabSize: number): string {
  return `${b.name}/${b.threads ?? 1}/${b.adapter?.description ?? ''}/${vocabSize}`;
}

function remembered(): Record<string, PresetTiming[]> {
  try {
    const all = JSON.parse(storedSetting(SETTING) ?? '{}') as Record<string, PresetTiming[]>;
    return all && typeof all === 'object' ? all : {};
  } catch {
    return {};
  }
}

function valid(t: unknown): t is PresetTiming[] {
  return Array.isArray(t) && t.length > 0 && t.every((x: PresetTiming) => isModelPreset(x?.preset) && x.msPerStep > 0);
}

export function modelCommands({ link, store }: PageContext, builder: ModelBuilder) {
  let asking: string | undefined;
  const budgetMs = stepBudgetMs(SAMPLE_EVERY);
  return {
    /** Rebuild on the same corpus with another size (asks first when a trained model would go). */
    applyModel: (preset: Settings['preset'], custom: ModelConfig) => builder.applyModel(preset, custom),
    /**
     * Measure this backend's speed per preset, unless it is known already. Not while training
     * (two jobs would share the CPU and both times would be wrong), and not on a software GPU
     * (SwiftShader takes seconds a step: the smallest size is the only honest suggestion).
     */
    adviseSize(): void {
      const { backend, model, run, sizeAdvice, setSizeAdvice } = store.get();
      if (!backend || !model || run.state === 'running' || backend.adapter?.isSoftware) return;
      const key = sizeKey(backend, model.vocabSize);
      if (sizeAdvice?.key === key || asking === key) return;
      const known = remembered()[key];
      if (valid(known)) return setSizeAdvice({ key, timings: known, budgetMs });
      asking = key;
      link.ask('probeSizes', { budgetMs }).then(
        (answer) => {
          asking = undefined;
          if (answer.timings.length === 0) return; // training started: asked again later
          store.get().setSizeAdvice({ key, timings: answer.timings, budgetMs });
          writeSetting(SETTING, JSON.stringify({ ...remembered(), [key]: answer.timings }));
        },
        () => (asking = undefined),
      );
    },
  };
}
