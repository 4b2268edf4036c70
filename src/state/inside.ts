/**
 * "Inside the model" on the page: which view is open (embeddings, logit lens, one step of
 * backpropagation), the worker's latest answers for it, and the commands that ask for them.
 *
 * Its own small zustand store (not a slice of store.ts): nothing else reads it, and the
 * views refresh themselves from the main store — `watchInside` follows the step, the
 * prompt and the model, and asks again for the open view: the map every few steps while
 * training (and once when training stops), the lens when the prompt changes too. One
 * request per view is in flight at a time; its answer triggers the next check, so a slow
 * backend gets fewer redraws instead of a queue. Scrolled off screen, the panel asks for
 * nothing (training runs at full speed) and catches up when it comes back into view.
 */
import { create } from 'zustand';
import type { Notice } from '../i18n';
import type { FromWorker, InsideAnswer, InsideAsk, ToWorker } from '../worker/protocol';
import { useFolio, type FolioState } from './store';

export type InsideTab = 'embeddings' | 'lens' | 'backprop';
export const INSIDE_TABS: readonly InsideTab[] = ['embeddings', 'lens', 'backprop'];

export type EmbeddingsAnswer = Extract<InsideAnswer, { kind: 'embeddings' }>;
export type LensAnswer = Extract<InsideAnswer, { kind: 'lens' }>;
export type BackpropAnswer = Extract<InsideAnswer, { kind: 'backprop' }>;

export interface InsideState {
  tab: InsideTab;
  embeddings?: EmbeddingsAnswer;
  lens?: LensAnswer;
  /** The steps inspected on the current copy of the model, oldest first. */
  steps: BackpropAnswer[];
  /** The true next word of the backpropagation example. */
  word: string;
  /** Learning rate of the inspected step (0 = the training run's current one). */
  lr: number;
  /** A backpropagation step is being computed. */
  busy: boolean;
  /** The panel is on screen (scrolled away, it asks the worker for nothing); the panel's observer says when. */
  visible: boolean;
  error?: Notice;
}

export const useInside = create<InsideState>()(() => ({ tab: 'embeddings', steps: [], word: 'dog', lr: 0, busy: false, visible: false }));

/** While training, the map and the lens are redrawn at most every this many steps. */
export const INSIDE_EVERY_STEPS = 5;

export interface InsideDeps {
  send: (msg: ToWorker) => void;
  ask: (make: (requestId: number) => ToWorker, then: (answer: FromWorker) => void) => void;
  id: () => number;
}

export function insideCommands(deps: InsideDeps) {
  const set = useInside.setState;
  const inFlight = { embeddings: false, lens: false };
  const drawn = { embeddings: { step: -1, model: undefined as unknown }, lens: { step: -1, model: undefined as unknown, prompt: '' } };

  function request(ask: InsideAsk, then: (answer: InsideAnswer) => void, done: () => void = () => undefined): void {
    deps.ask(
      (requestId) => ({ type: 'inside', requestId, ask }),
      (msg) => {
        done();
        if (msg.type === 'inside') {
          set({ error: undefined });
          then(msg.answer);
        } else if (msg.type === 'error') set({ error: msg.notice, busy: false });
      },
    );
  }

  /** Is the open view's picture older than the model? Then ask for a new one. */
  function refresh(): void {
    const { run, prompt, model } = useFolio.getState();
    const { tab, visible } = useInside.getState();
    if (!model || !visible) return;
    const stale = (d: { step: number; model: unknown }) => {
      const moved = Math.abs(run.step - d.step);
      return d.model !== model || (moved > 0 && (moved >= INSIDE_EVERY_STEPS || run.state !== 'running'));
    };
    if (tab === 'embeddings' && !inFlight.embeddings && stale(drawn.embeddings)) {
      inFlight.embeddings = true;
      drawn.embeddings = { step: run.step, model };
      request({ kind: 'embeddings' }, (a) => a.kind === 'embeddings' && set({ embeddings: a }), () => {
        inFlight.embeddings = false;
        queueMicrotask(refresh);
      });
    }
    if (tab === 'lens' && !inFlight.lens && prompt && (stale(drawn.lens) || drawn.lens.prompt !== prompt)) {
      inFlight.lens = true;
      drawn.lens = { step: run.step, model, prompt };
      request({ kind: 'lens', prompt }, (a) => a.kind === 'lens' && set({ lens: a }), () => {
        inFlight.lens = false;
        queueMicrotask(refresh);
      });
    }
  }

  const changed = (s: FolioState, p: FolioState) => s.run.step !== p.run.step || s.run.state !== p.run.state || s.prompt !== p.prompt || s.model !== p.model;

  return {
    /** Follow the model while the panel is on the page; returns the unsubscribe. */
    watchInside(): () => void {
      const a = useFolio.subscribe((s, p) => {
        if (s.model !== p.model) set({ steps: [] }); // inspected steps of another model
        // The word to inspect follows the tracked word (dog → ATG for the genome) unless the person typed another.
        if (s.settings.track !== p.settings.track && s.settings.track.trim() && useInside.getState().word === p.settings.track) set({ word: s.settings.track, steps: [] });
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
      if (tab !== 'backprop' && useInside.getState().tab === 'backprop') {
        deps.send({ type: 'inside', requestId: deps.id(), ask: { kind: 'release' } }); // the copy is not needed any more
        set({ steps: [] });
      }
      set({ tab, error: undefined });
    },
    insideVisible: (visible: boolean) => set({ visible }),
    setBackpropWord: (word: string) => set({ word, steps: [] }),
    setBackpropLr: (lr: number) => set({ lr, steps: [] }),
    /** One inspected step on the copy (`fresh`: copy the model again first). */
    backpropStep(fresh = false): void {
      const { prompt } = useFolio.getState();
      const { word, lr } = useInside.getState();
      set({ busy: true });
      request({ kind: 'backprop', prompt, word, ...(lr > 0 ? { lr } : {}), fresh }, (a) => {
        if (a.kind !== 'backprop') return;
        // A new copy (first step, or the model moved on since): its history starts again.
        set((s) => ({ busy: false, steps: a.result.steps === 1 ? [a] : [...s.steps, a].slice(-50) }));
      });
    },
  };
}
