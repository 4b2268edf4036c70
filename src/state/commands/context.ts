/**
 * What every group of page commands works with: the typed worker link and the main store.
 * One shape for all of them (there used to be five "context" interfaces, one per group).
 */
import { noticeOf } from '../../i18n';
import { AskFailed, type WorkerLink } from '../link';
import type { FolioState, PageStore } from '../store';

export interface PageContext {
  link: WorkerLink;
  store: PageStore<FolioState>;
}

/** Show a failure where it belongs: under `scope` when given, else a request's by its table line ('predict': under the ranked words). */
export function report(store: PageContext['store'], e: unknown, scope?: string): void {
  const s = store.get();
  const where = scope ?? (e instanceof AskFailed ? e.scope : 'worker');
  if (where === 'predict') return s.predictionFailed(noticeOf(e));
  s.failed({ scope: where, notice: noticeOf(e) });
}
