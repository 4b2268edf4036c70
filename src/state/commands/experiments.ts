/**
 * The experiments' commands: start the backend race (Race panel) or the size sweep (Model
 * panel), stop either. Their events fill the experiments store (experiments.ts).
 */
import type { ExperimentRequest, SweepBudget, SweepSize } from '../../worker/experimentProtocol';
import { idleExperiment, sweepKey, useExperiments } from '../experiments';
import type { PageContext } from './context';

export function experimentCommands({ link, store }: PageContext) {
  const run = (request: ExperimentRequest) => link.send('experiment', { request });
  return {
    startRace(steps: number, includeEmulated: boolean): void {
      useExperiments.update({ error: undefined, race: { ...idleExperiment.race(), status: 'running' } });
      run({ kind: 'race', steps, includeEmulated });
    },
    /** `sizes`: the ladder up to the person's largest (absent: the backend's speed decides). */
    startSweep(budget: SweepBudget, sizes?: SweepSize[]): void {
      const model = store.get().model;
      const key = model ? sweepKey(model) : undefined;
      useExperiments.update({
        error: undefined,
        sweep: { ...idleExperiment.sweep(), status: 'planning', budget, ...(key ? { key } : {}), groupId: `sweep-${Date.now().toString(36)}` },
      });
      run({ kind: 'sweep', budget, ...(sizes ? { sizes } : {}) });
    },
    stopExperiment: () => run({ kind: 'stop' }),
  };
}
