/**
 * The one factory every page store is built with (the main store's slices, the runs list,
 * inside the model, the experiments, the tour, the bow view): a zustand store with `get`
 * and `update` beside the hook, so there is one way to read and one way to write from
 * outside React, and optionally remembered in localStorage under a key.
 */
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { persist } from 'zustand/middleware';

/** A change: some keys, or a function of the state that returns some keys. */
export type Patch<T> = Partial<T> | ((s: T) => Partial<T>);
export type SetState<T> = (patch: Patch<T>) => void;

export type PageStore<T> = UseBoundStore<StoreApi<T>> & {
  get: () => T;
  /** The one way to change the store from outside React. */
  update: SetState<T>;
};

/** What of a store outlives a reload: the key in localStorage, what to keep, and how to read an older value back. */
export interface Remembered<T> {
  key: string;
  version: number;
  pick: (s: T) => Partial<T>;
  /** A stored object from an older page may miss keys or hold damaged ones: make a whole state of it. */
  merge: (stored: unknown, current: T) => T;
}

export function makeStore<T extends object>(init: (set: SetState<T>, get: () => T) => T, remembered?: Remembered<T>): PageStore<T> {
  const use: UseBoundStore<StoreApi<T>> = remembered
    ? create<T>()(
        persist((set, get) => init((p) => set(p), get), {
          name: remembered.key,
          version: remembered.version,
          partialize: remembered.pick,
          merge: remembered.merge,
        }),
      )
    : create<T>()((set, get) => init((p) => set(p), get));
  return Object.assign(use, { get: use.getState, update: (p: Patch<T>) => use.setState(p) });
}

/** A slice of a composed store: its own keys and actions, made from the whole store's set and get. */
export type Slice<S, T = S> = (set: SetState<T>, get: () => T) => S;
