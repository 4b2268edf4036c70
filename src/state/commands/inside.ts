/**
 * "Inside the model"'s commands: they ask the worker for the open view and keep it fresh.
 * `watchInside` follows the step, the prompt and the model, and asks again for the open
 * view: the map every few steps while training (and once when training stops), the lens
 * when the prompt changes too. One request per view is in flight at a time; its answer
 * triggers the next check, so a slow backend gets fewer redraws instead of a queue.
 * Scrolled off screen, the panel asks for nothing (training runs at full speed) and
 * catches up when it comes back into view.
 */
import type { InsideAnswer, InsideAsk } from '../../worker/protocol';
import { useInside, type InsideTab } from '../inside';
import type { FolioState } from '../store';
import type { PageContext } from './context';
import { noticeOf } from '../../i18n';

/** While training, the map and the lens are redrawn at most every this many steps. */
export const INSIDE_EVERY_STEPS = 5;

export function insideCommands({ link, store }: PageContext) {
  const set = useInside.update;
  const inFlight = { embeddings: false, lens: false };
  const drawn = { embeddings: { steps: -1, model: '' }, lens: { steps: -1, model: '', prompt: '' } };

  function request(ask: InsideAsk, then: (answer: InsideAnswer) => void, done: () => void = () => undefined): void {
    link.ask('inside', { ask }).then(
      (a) => {
        done();
        // The answer of a model that is gone is not shown (insideOnModel reset the view meanwhile).
        if (a.modelId !== useInside.get().modelId || !a.answer) return set({ busy: false });
        set({ error: undefined });
        then(a.answer);
      },
      (e: unknown) => {
        done();
        set({ error: noticeOf(e), busy: false });
      },
    );
  }

  /** Is the open view's picture older than the model? Then ask for a new one. */
  function refresh(): void {
    const { run, prompt, model } = store.get();
    const { tab, visible } = useInside.get();
    if (!model || !visible) return;
    const steps = model.totalSteps;
    const stale = (d: { steps: number; model: string }) => {
      const moved = Math.abs(steps - d.steps);
      return d.model !== model.id || (moved > 0 && (moved >= INSIDE_EVERY_STEPS || run.state !== 'running'));
    };
    if (tab === 'embeddings' && !inFlight.embeddings && stale(drawn.embeddings)) {
      inFlight.embeddings = true;
      drawn.embeddings = { steps, model: model.id };
      request(
        { kind: 'embeddings' },
        (a) => a.kind === 'embeddings' && set({ embeddings: a }),
        () => {
          inFlight.embeddings = false;
          queueMicrotask(refresh);
        },
      );
    }
    if (tab === 'lens' && !inFlight.lens && prompt && (stale(drawn.lens) || drawn.lens.prompt !== prompt)) {
      inFlight.lens = true;
      drawn.lens = { steps, model: model.id, prompt };
      request(
        { kind: 'lens', prompt },
        (a) => a.kind === 'lens' && set({ lens: a }),
        () => {
          inFlight.lens = false;
          queueMicrotask(refresh);
        },
      );
    }
  }

  const changed = (s: FolioState, p: FolioState) =>
    s.model?.totalSteps !== p.model?.totalSteps || s.run.state !== p.run.state || s.prompt !== p.prompt || s.model?.id !== p.model?.id;

  return {
    /** Follow the model while the panel is on the page; returns the unsubscribe. */
    watchInside(): () => void {
      const a = store.subscribe((s, p) => {
        // The word to inspect follows the tracked word (dog → ATG for the genome) unless the person typed another.
        if (s.settings.track !== p.settings.track && s.settings.track.trim() && useInside.get().word === p.settings.track)
          set({ word: s.settings.track, steps: [] });
        if (changed(s, p)) refresh();
      });
      const b = useInside.subscribe((s, p) => (s.tab !== p.tab || s.visible !== p.visible) && refresh());
      refresh();
      return () => {
        a();
        b();
      };
    },
    insideTab(tab: InsideTab): void {
      if (tab !== 'backprop' && useInside.get().tab === 'backprop') {
        link.ask('inside', { ask: { kind: 'release' } }).catch(() => undefined); // the copy is not needed any more
        set({ steps: [] });
      }
      set({ tab, error: undefined });
    },
    insideVisible: (visible: boolean) => set({ visible }),
    setBackpropWord: (word: string) => set({ word, steps: [] }),
    setBackpropLr: (lr: number) => set({ lr, steps: [] }),
    /** One inspected step on the copy (`fresh`: copy the model again first). */
    backpropStep(fresh = false): void {
      const { prompt } = store.get();
      const { word, lr } = useInside.get();
      set({ busy: true });
      request({ kind: 'backprop', prompt, word, ...(lr > 0 ? { lr } : {}), fresh }, (a) => {
        if (a.kind !== 'backprop') return;
        // A new copy (first step, or the model moved on since): its history starts again.
        set((s) => ({ busy: false, steps: a.result.steps === 1 ? [a] : [...s.steps, a].slice(-50) }));
      });
    },
  };
}
