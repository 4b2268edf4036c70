/**
 * Compile-time checks on the tables of words, as types (nothing here runs). The tables
 * are put together from one file per topic (strings.ts, notices/index.ts); these types
 * catch what spreading the topics together cannot: a key that two topics define (the
 * later would silently win), and a Portuguese sentence that takes other parameters than
 * its English one. Each check names the offending keys in the compiler's error.
 */

/**
 * The keys (as dotted paths) where `P` differs from `E`: missing or extra, a function with
 * other parameters (their number or their types), or a nested table that differs. Lookup
 * tables with any key (`Record<string, string>`) and arrays are not compared key by key.
 */
export type Mismatched<E, P> =
  | Exclude<keyof P, keyof E>
  | {
      [K in keyof E]-?: K extends keyof P
        ? E[K] extends (...args: infer A) => unknown
          ? P[K] extends (...args: infer B) => unknown
            ? SameParams<A, B> extends true
              ? never
              : K
            : K
          : E[K] extends readonly unknown[]
            ? never
            : E[K] extends object
              ? string extends keyof E[K]
                ? never
                : `${K & string}.${Nested<E[K], P[K]>}`
              : never
        : K;
    }[keyof E];

/** Mismatched one level down, as text to join to its parent's key. */
type Nested<E, P> = Mismatched<E, P> extends infer M extends string ? M : never;

/**
 * As many parameters, an optional one counted (Portuguese's `(x) =>`, typed from English's
 * `(x?: number)`, takes it as required), and every argument list English accepts,
 * Portuguese accepts.
 */
type SameParams<A extends unknown[], B extends unknown[]> = Required<A>['length'] extends Required<B>['length']
  ? Required<B>['length'] extends Required<A>['length']
    ? Required<A> extends Required<B>
      ? true
      : false
    : false
  : false;

/** The keys that more than one of `Parts` defines (spread together, only the last would count). */
export type Repeated<Parts extends readonly object[], Seen extends PropertyKey = never> = Parts extends readonly [infer H, ...infer R extends readonly object[]]
  ? (keyof H & Seen) | Repeated<R, Seen | keyof H>
  : never;

/** Compiles only when `T` is never: `None<Repeated<…>>` fails with the repeated keys. */
export type None<T extends never> = T;
