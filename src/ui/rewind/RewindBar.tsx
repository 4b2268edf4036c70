/**
 * The page says when it is rewound (issue 27): a bar that stays at the top of the screen
 * while any view shows a snapshot instead of the live model — which step, how far the model
 * has trained since — with the one button back to now. Nothing shows while at now.
 */
import { rewoundAtOf, useFolio } from '../../state/store';
import { commands } from '../app/commands';
import { useT } from '../app/useT';

export function RewindBar() {
  const t = useT();
  const at = useFolio(rewoundAtOf);
  const now = useFolio((s) => s.run.step);
  if (at === undefined) return null;
  return (
    <div className="rewind-bar" role="status" data-testid="rewind-bar" data-step={at}>
      <span>{t.rewindBar(at, now)}</span>
      <button data-testid="rewind-now" onClick={commands.rewind.rewindNow}>
        {t.rewindNow}
      </button>
    </div>
  );
}
