/**
 * The next-words panel's commands: the prompt, the tracked word, and asking the live model
 * for its ranked next words (about twice a second while training, less often when answers
 * are slow: livePredict.ts) and for the prompt's attention maps.
 */
import type { Events } from '../../worker/protocol';
import { livePredictInterval } from '../livePredict';
import { report, type PageContext } from './context';

const TYPING_DEBOUNCE_MS = 120;

export function nextWordsCommands({ link, store }: PageContext) {
  let lastAsked = 0;
  /** How long the last prediction took, request to answer (sets the live interval). */
  let lastTookMs = 0;
  /** The model and step the last prediction was asked for (not again for the same). */
  let lastAskedFor = '';
  let debounce: ReturnType<typeof setTimeout> | undefined;

  const commands = {
    /** Ask for the next words after the current prompt (newest request wins). */
    predictNow(): void {
      const { prompt, settings } = store.get();
      const asked = (lastAsked = performance.now());
      const temperature = settings.barsTemperature !== 1 ? { temperature: settings.barsTemperature } : {};
      link.ask('predict', { prompt, topTokens: 10, topWords: 10, track: settings.track, ...temperature }).then(
        (a) => {
          lastTookMs = performance.now() - asked;
          store.get().predicted(a);
        },
        (e: unknown) => report(store, e, 'predict'),
      );
    },
    /** Attention maps for the prompt (the "bow" pair is read by the bundled bow model: bow.ts). */
    requestAttention(): void {
      const prompt = store.get().prompt;
      if (!prompt) return;
      link.ask('attention', { prompt }).then(
        (a) => store.get().attended(a, prompt),
        () => undefined, // the view keeps what it had
      );
    },
    /** The person typed: remember the prompt now, ask the model once typing pauses. */
    setPrompt(prompt: string): void {
      store.get().setPrompt(prompt);
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        commands.predictNow();
        if (store.get().run.state !== 'running') commands.requestAttention();
      }, TYPING_DEBOUNCE_MS);
    },
    /** Show the bars at another temperature (what sampling at it would draw from); asked again once the slider rests. */
    setBarsTemperature(temperature: number): void {
      store.get().setSettings({ barsTemperature: temperature });
      clearTimeout(debounce);
      debounce = setTimeout(commands.predictNow, TYPING_DEBOUNCE_MS);
    },
    /** Follow another word (each word keeps its own curve: switching back shows it again). */
    setTrack(word: string): void {
      store.get().setSettings({ track: word });
      clearTimeout(debounce);
      debounce = setTimeout(commands.predictNow, TYPING_DEBOUNCE_MS);
    },
  };

  return {
    commands,
    /** The weights moved: refresh the ranked words while training (not too often), and once when it stops. */
    afterProgress(p: Events['progress']): void {
      const key = `${p.modelId}/${p.totalSteps}`;
      if (key === lastAskedFor) return;
      if (p.state === 'running' && performance.now() - lastAsked <= livePredictInterval(lastTookMs)) return;
      lastAskedFor = key;
      commands.predictNow();
      if (p.state !== 'running') commands.requestAttention();
    },
    /** A new model (or a new prompt for it): ask it about the prompt on show. */
    afterModelChange(): void {
      const s = store.get();
      lastAskedFor = `${s.model?.id}/${s.model?.totalSteps}`;
      commands.predictNow();
      commands.requestAttention();
    },
  };
}
