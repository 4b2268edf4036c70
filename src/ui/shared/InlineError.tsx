/**
 * A message shown next to the control it is about (a refused checkpoint file under "Load
 * from files", a diverged run under the training buttons), not in the banner at the top of
 * the page. The banner leaves these scopes alone.
 */
import { useFolio } from '../../state/store';
import { useSay, useT } from '../app/useT';

/** Where a message of each scope is shown instead of the banner, and the test id it carries there. */
export const INLINE_SCOPES = { checkpointFile: 'checkpoint-error', train: 'train-error' } as const;
export type InlineScope = keyof typeof INLINE_SCOPES;

export function isInline(scope: string): scope is InlineScope {
  return scope in INLINE_SCOPES;
}

export function InlineError({ scope }: { scope: InlineScope }) {
  const t = useT();
  const say = useSay();
  const error = useFolio((s) => (s.error?.scope === scope ? s.error : undefined));
  if (!error) return null;
  return (
    <p role="alert" className="error-inline" data-testid={INLINE_SCOPES[scope]}>
      {say(error.notice)}{' '}
      <button className="secondary small" onClick={useFolio.get().clearError}>
        {t.dismiss}
      </button>
    </p>
  );
}
