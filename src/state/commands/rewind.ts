/**
 * Rewind's commands (issue 27): look at one of the run's snapshots (the nearest to a step)
 * or back at the live model, and keep what is on show answered. `watch` follows the page:
 * while rewound, the snapshot is asked for the ranked words of the prompt (with the tracked
 * word), the attention map of the panel's text, a short sample and — when that view is open
 * — the embedding map or the logit lens, again whenever the snapshot, the prompt or the word changes; the film
 * strip (the prompt's top word at every snapshot) is asked whenever the snapshots or the
 * prompt change, rewound or not. Training goes on underneath: the worker answers from its
 * own copy of the snapshot.
 */
import { noticeOf } from '../../i18n';
import type { RewindAsk } from '../../worker/protocol';
import { attentionTextOf, useAttentionText } from '../attentionText';
import { useInside } from '../inside';
import { rewoundAtOf, snapshotStepsOf, type FolioState } from '../store';
import type { PageContext } from './context';

/** Tokens in a rewound sample: enough to read the model's style at that step, short enough to ask often. */
export const REWIND_SAMPLE_TOKENS = 48;
/** The same seed at every snapshot: the samples differ by what the model learned, not by luck. */
const SAMPLE_SEED = 27;
const DEBOUNCE_MS = 120;
const STRIP_DEBOUNCE_MS = 300;

export function rewindCommands({ link, store }: PageContext) {
  const asked = { shown: '', embeddings: '', lens: '', strip: '' };
  let shownTimer: ReturnType<typeof setTimeout> | undefined;
  let stripTimer: ReturnType<typeof setTimeout> | undefined;

  function ask(ask: RewindAsk): void {
    link.ask('rewind', { ask }).then(
      (a) => store.get().rewound(a.modelId, a.answer),
      (e: unknown) => {
        if (ask.kind === 'predict') store.get().rewindFailed(noticeOf(e)); // said where the ranked words would be
      },
    );
  }

  /** Ask the snapshot on show what the page shows of it (only what changed since the last ask). */
  function refreshShown(): void {
    const s = store.get();
    const at = rewoundAtOf(s);
    const id = s.model?.id;
    if (at === undefined || !id) return;
    const { settings, prompt } = s;
    const text = attentionTextOf(useAttentionText.get().sentence, prompt);
    const key = JSON.stringify([id, at, prompt, settings.track, settings.barsTemperature, text, settings.sample]);
    if (key !== asked.shown) {
      asked.shown = key;
      if (prompt) {
        const temperature = settings.barsTemperature !== 1 ? { temperature: settings.barsTemperature } : {};
        ask({ kind: 'predict', step: at, prompt, topTokens: 10, topWords: 10, track: settings.track, ...temperature });
        ask({ kind: 'sample', step: at, prompt, sample: { ...settings.sample, maxTokens: REWIND_SAMPLE_TOKENS, seed: SAMPLE_SEED } });
      }
      if (text) ask({ kind: 'attention', step: at, prompt: text });
    }
    const inside = useInside.get();
    const embKey = `${id}/${at}`;
    if (inside.visible && inside.tab === 'embeddings' && embKey !== asked.embeddings) {
      asked.embeddings = embKey;
      ask({ kind: 'embeddings', step: at });
    }
    const lensKey = `${id}/${at}/${prompt}`;
    if (inside.visible && inside.tab === 'lens' && prompt && lensKey !== asked.lens) {
      asked.lens = lensKey;
      ask({ kind: 'lens', step: at, prompt });
    }
  }

  /** The film strip for the prompt, when the snapshots or the prompt moved. */
  function refreshStrip(): void {
    const s = store.get();
    const steps = snapshotStepsOf(s);
    const id = s.model?.id;
    if (!id || !s.prompt || steps.length === 0) return;
    const key = JSON.stringify([id, steps, s.prompt, s.settings.track]);
    if (key === asked.strip) return;
    asked.strip = key;
    ask({ kind: 'strip', prompt: s.prompt, track: s.settings.track });
  }

  const moved = (s: FolioState, p: FolioState) =>
    s.rewind.at !== p.rewind.at ||
    s.rewind.snapshots !== p.rewind.snapshots ||
    s.prompt !== p.prompt ||
    s.settings.track !== p.settings.track ||
    s.settings.barsTemperature !== p.settings.barsTemperature ||
    s.settings.sample !== p.settings.sample ||
    s.model?.id !== p.model?.id;

  function soon(): void {
    clearTimeout(shownTimer);
    shownTimer = setTimeout(refreshShown, DEBOUNCE_MS);
    clearTimeout(stripTimer);
    stripTimer = setTimeout(refreshStrip, STRIP_DEBOUNCE_MS);
  }

  return {
    /** Look at the snapshot nearest `step` (what the scrubber, the arrow keys and the film strip do). */
    rewindTo(step: number): void {
      store.get().rewindTo(step);
      refreshShown(); // at once: a drag shows each snapshot as it passes
    },
    /** Back to the live model. */
    rewindNow: () => store.get().rewindTo(undefined),
    /** Follow the page while it is open; returns the unsubscribe. */
    watch(): () => void {
      const a = store.subscribe((s, p) => moved(s, p) && soon());
      const b = useAttentionText.subscribe((s, p) => s.sentence !== p.sentence && soon());
      const c = useInside.subscribe((s, p) => (s.tab !== p.tab || s.visible !== p.visible) && refreshShown());
      return () => {
        a();
        b();
        c();
      };
    },
  };
}
