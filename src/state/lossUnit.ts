/**
 * The unit the page reads every loss in: nats per token (what the model minimises, what the
 * curves store) or bits per character of the text (bits per base for DNA in k-mers), the
 * unit in which runs with different tokenizers compare (train/lossUnits.ts; the maths in
 * src/train/README.md). The person's choice is remembered in localStorage; 'auto', the
 * default, reads bits per character while the chart compares other runs with the live one,
 * nats per token otherwise. Only the unit lives here; no React beyond the hooks.
 */
import { bitsPerChar, knownCharsPerToken, textUnitOf, type CharsPerToken, type LossUnit, type TextUnit } from '../train/lossUnits';
import { useLiveRunId, useRuns, type StoredRun } from './runs';
import { useFolio } from './store';
import { makeStore } from './store/makeStore';

export type LossUnitChoice = 'auto' | LossUnit;

const CHOICES: readonly LossUnitChoice[] = ['auto', 'nats', 'bits'];

export const useLossUnit = makeStore<{ choice: LossUnitChoice }>(() => ({ choice: 'auto' }), {
  key: 'folio.lossUnit',
  version: 1,
  pick: (s) => ({ choice: s.choice }),
  merge: (stored, current) => {
    const choice = (stored as { choice?: unknown } | undefined)?.choice;
    return { ...current, choice: CHOICES.includes(choice as LossUnitChoice) ? (choice as LossUnitChoice) : 'auto' };
  },
});

export const chooseLossUnit = (choice: LossUnitChoice) => useLossUnit.update({ choice });

/** The unit shown for a choice: 'auto' is bits per character while other runs are drawn beside the live one. */
export function shownUnit(choice: LossUnitChoice, comparing: boolean): LossUnit {
  return choice === 'auto' ? (comparing ? 'bits' : 'nats') : choice;
}

/** A stored run's characters per token: measured (runs since bits per character), or what its tokenizer alone says. */
export function runCharsPerToken(run: Pick<StoredRun, 'charsPerToken' | 'config'>): CharsPerToken | undefined {
  return run.charsPerToken ?? knownCharsPerToken(run.config.tokenizer.kind);
}

/** A `split` loss of `run` in `unit` (NaN: bits asked of a run that never measured its characters per token). */
export function runLoss(run: Pick<StoredRun, 'charsPerToken' | 'config'>, nats: number, unit: LossUnit, split: keyof CharsPerToken = 'val'): number {
  return unit === 'nats' ? nats : bitsPerChar(nats, runCharsPerToken(run)?.[split]);
}

export interface ShownUnit {
  unit: LossUnit;
  /** What a character of the live model's text is (a base for DNA in k-mers). */
  text: TextUnit;
  /** The live model's val loss in the unit. */
  live: (nats: number) => number;
  /** Multiply a live val loss by this to get it in the unit… */
  factor: number;
  /** …and a train loss by this (each split has its own characters per token). */
  trainFactor: number;
}

/** Whether the chart draws other runs than the live one. */
export function useComparing(): boolean {
  const liveId = useLiveRunId();
  return useRuns((s) => s.runs.some((r) => r.overlay && r.id !== liveId));
}

/** The unit every loss on the page is shown in now, and the live model's loss in it. */
export function useShownUnit(): ShownUnit {
  const choice = useLossUnit((s) => s.choice);
  const comparing = useComparing();
  const cpt = useFolio((s) => s.model?.charsPerToken);
  const kind = useFolio((s) => s.model?.tokenizer ?? 'char');
  // A model with no measure of its characters (none yet) reads in nats.
  const unit = cpt && cpt.val > 0 && cpt.train > 0 ? shownUnit(choice, comparing) : 'nats';
  const factor = unit === 'nats' ? 1 : bitsPerChar(1, cpt?.val);
  const trainFactor = unit === 'nats' ? 1 : bitsPerChar(1, cpt?.train);
  return { unit, text: textUnitOf(kind), factor, trainFactor, live: (nats) => nats * factor };
}
