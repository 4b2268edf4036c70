/**
 * The page's one typed link to the worker: `send` a command, `ask` a request and await its
 * answer, and the id of the model the page shows. It reads protocol.ts's tables: answers
 * and failures are matched to their request by id; everything else is an event, handed to
 * the listener. A failure rejects the ask with an `AskFailed` that carries its notice and
 * the scope the table gives it. No React, no DOM.
 */
import { FolioError } from '../i18n';
import type { Listener, WaitingFor } from '../worker/client';
import {
  REQUESTS,
  type Answer,
  type Commands,
  type CommandKind,
  type ErrorScope,
  type Event,
  type FromWorker,
  type Requests,
  type RequestKind,
  type ToWorker,
} from '../worker/protocol';

/** What the link needs of the worker client (TrainerClient, or a fake in tests). */
export interface ClientLike {
  id(): number;
  send(msg: ToWorker, transfer?: Transferable[]): void;
  restart(cause: { stalledSeconds: number }): void;
  recover?: () => { messages: ToWorker[]; step: number } | undefined;
  onStall?: (silentMs: number, what: WaitingFor) => void;
}

/** A request the worker answered with a failure. */
export class AskFailed extends FolioError {
  override name = 'AskFailed';
  constructor(
    readonly failure: Extract<FromWorker, { type: 'failed' }>,
    readonly scope: ErrorScope = failure.scope,
  ) {
    super(failure.notice);
  }
}

export interface WorkerLink {
  send<K extends CommandKind>(type: K, body: Commands[K]): void;
  /** Ask, and get the answer (a newer request of a `latestWins` kind leaves an older one unsettled). */
  ask<K extends RequestKind>(type: K, body: Requests[K]['ask'], transfer?: Transferable[]): Promise<Answer<K>>;
  /** The id of the request `ask` sends next (generation streams name it). */
  nextId(): number;
  /** The model the page shows (the one the worker last made live). */
  modelId(): string | undefined;
  /** The worker client (started on first use). */
  client(): ClientLike;
}

export interface LinkDeps {
  /** Start the worker client with the link's listener (once, on first use). */
  connect: (listener: Listener) => ClientLike;
  /** Every event, and answers nobody waits for (a restarted worker's setup). */
  onEvent: (e: Event) => void;
  modelId: () => string | undefined;
}

export function createLink(deps: LinkDeps): WorkerLink {
  let client: ClientLike | undefined;
  const pending = new Map<number, { kind: RequestKind; resolve: (a: never) => void; reject: (e: AskFailed) => void }>();
  let reserved: number | undefined;

  function onMessage(msg: FromWorker): void {
    if (msg.type === 'answer' || msg.type === 'failed') {
      const p = pending.get(msg.requestId);
      if (!p) return; // nobody waits (a restarted worker's setup): its events told the page what changed
      pending.delete(msg.requestId);
      if (msg.type === 'failed') p.reject(new AskFailed(msg));
      else p.resolve(msg as never);
      return;
    }
    deps.onEvent(msg);
  }

  const c = (): ClientLike => (client ??= deps.connect(onMessage));

  return {
    send: (type, body) => c().send({ type, ...body } as ToWorker),
    ask<K extends RequestKind>(type: K, body: Requests[K]['ask'], transfer?: Transferable[]): Promise<Answer<K>> {
      const requestId = reserved ?? c().id();
      reserved = undefined;
      if (REQUESTS[type].latestWins) for (const [id, p] of pending) if (p.kind === type) pending.delete(id); // never answered
      return new Promise<Answer<K>>((resolve, reject) => {
        pending.set(requestId, { kind: type, resolve: resolve as (a: never) => void, reject });
        c().send({ type, requestId, ...body } as ToWorker, transfer);
      });
    },
    nextId: () => (reserved ??= c().id()),
    modelId: deps.modelId,
    client: c,
  };
}

/** An ask's failure, as the notice to show (other errors pass through as they are). */
export function failureNotice(e: unknown) {
  return e instanceof AskFailed ? e.failure.notice : undefined;
}
