/**
 * The training panel's commands: train from scratch (one message: fresh weights, a schedule
 * over the steps asked for, and go), pause, resume or continue, one step, the run's length.
 */
import { askBeforeReplacing } from '../store';
import { report, type PageContext } from './context';

export function trainingCommands({ link, store }: PageContext) {
  const commands = {
    /** New random weights, then train for the chosen number of steps. */
    trainFromScratch(): void {
      // A fine-tuned model holds the person's ratings and examples turned into weights: ask before random weights replace it.
      const s = store.get();
      const tuned = s.tune.stages.some((g) => g.kind !== 'pretrain' && g.steps > 0);
      if (s.model && tuned && askBeforeReplacing(s)) return s.ask({ kind: 'scratch', modelId: s.model.id, proceed: commands.trainFromScratchNow });
      commands.trainFromScratchNow();
    },
    trainFromScratchNow(): void {
      const { settings } = store.get();
      link
        .ask('trainFromScratch', { steps: settings.steps, ...(settings.lr > 0 ? { learningRate: settings.lr } : {}) })
        .catch((e: unknown) => report(store, e, 'configure'));
    },
    pause: () => link.send('pause', {}),
    /** Go on from here, with the learning rate in the box when it was changed; a finished run gets the chosen number of steps more. */
    resume(): void {
      const { run, settings, model } = store.get();
      const rate = settings.lr > 0 && settings.lr !== model?.train.learningRate ? { learningRate: settings.lr } : {};
      link.send('resume', { ...(run.step >= run.targetSteps ? { target: run.step + settings.steps } : {}), ...rate });
    },
    step(): void {
      const { run } = store.get();
      if (run.step >= run.targetSteps) link.send('target', { steps: run.step + 1 });
      link.send('step', { count: 1 });
    },
    setSteps(steps: number): void {
      store.get().setSettings({ steps });
      const { run, model } = store.get();
      // The run's target follows the setting unless that would end a run that is past it.
      if (model && steps > run.step) link.send('target', { steps });
    },
  };
  return commands;
}
