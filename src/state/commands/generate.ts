/** The generate panel's command: let the live model write after the prompt, token by token. */
import { noticeOf } from '../../i18n';
import type { PageContext } from './context';

export function generateCommands({ link, store }: PageContext) {
  return {
    generate(): void {
      const { prompt, settings } = store.get();
      const requestId = link.nextId();
      const sample = { ...settings.sample, seed: requestId }; // a new draw each press
      store.get().generationStarted(requestId, prompt, sample.greedy);
      link.ask('generate', { prompt, sample }).then(
        () => store.get().generationDone(requestId),
        (e: unknown) => store.get().generationDone(requestId, noticeOf(e)),
      );
    },
  };
}
