/**
 * The attention panel's commands (issue 27): type a sentence of one's own (the live model's
 * map of it is asked once typing pauses, and again when training stops or the model
 * changes; a rewound snapshot's map is asked by commands/rewind.ts), show the map by tokens
 * or by words, and edit the two "bow" sentences the bow model reads.
 */
import { useAttentionText, type AttentionLevel } from '../attentionText';
import { askBowAgain, setBowSentence } from '../bow';
import { rewoundAtOf } from '../store';
import type { PageContext } from './context';

const TYPING_DEBOUNCE_MS = 150;

export function attentionCommands({ link, store }: PageContext) {
  let typing: ReturnType<typeof setTimeout> | undefined;
  let bowTyping: ReturnType<typeof setTimeout> | undefined;
  /** The model, step and text of the last map asked (not again for the same). */
  let asked = '';

  /** The live model's map of the typed sentence, unless it is already on show (or a snapshot is). */
  function askTyped(): void {
    const s = store.get();
    const { sentence } = useAttentionText.get();
    const model = s.model;
    if (!model || !sentence.trim() || rewoundAtOf(s) !== undefined) return;
    const key = `${model.id}/${model.totalSteps}/${sentence}`;
    if (key === asked) return;
    asked = key;
    const step = model.totalSteps;
    link.ask('attention', { prompt: sentence }).then(
      (a) => {
        if (a.modelId !== store.get().model?.id || useAttentionText.get().sentence !== sentence) return;
        useAttentionText.update({ typed: { modelId: a.modelId, text: sentence, step, view: { tokens: a.tokens, maps: a.maps } } });
      },
      () => {
        asked = ''; // a sentence the model cannot read: the panel says so; another try may work
        useAttentionText.update({ typed: undefined });
      },
    );
  }

  return {
    setSentence(sentence: string): void {
      useAttentionText.update({ sentence });
      clearTimeout(typing);
      typing = setTimeout(askTyped, TYPING_DEBOUNCE_MS);
    },
    setLevel: (level: AttentionLevel) => useAttentionText.update({ level }),
    setBowSentence(index: 0 | 1, text: string): void {
      setBowSentence(index, text);
      clearTimeout(bowTyping);
      bowTyping = setTimeout(() => void askBowAgain(link), TYPING_DEBOUNCE_MS);
    },
    /** Follow the model: its map of the typed sentence when it changes, or when training stops (not while it runs). */
    watch(): () => void {
      return store.subscribe((s, p) => {
        const stopped = s.run.state !== 'running' && (p.run.state === 'running' || s.model?.totalSteps !== p.model?.totalSteps);
        const back = rewoundAtOf(p) !== undefined && rewoundAtOf(s) === undefined;
        if (s.model?.id !== p.model?.id || stopped || back) askTyped();
      });
    },
  };
}
