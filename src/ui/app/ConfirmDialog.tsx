/** "Are you sure?" before a trained model is replaced, with a way to keep it. */
import { useEffect, useRef } from 'react';
import { commands } from './commands';
import { useFolio, useTotalSteps, type PendingConfirm } from '../../state/store';
import { useT } from './useT';

/** The question's sentence: what would replace the trained model, which has trained `steps` steps (all its stages). */
function whatReplaces(t: ReturnType<typeof useT>, c: PendingConfirm, steps: number): string {
  switch (c.kind) {
    case 'fork':
      return t.confirmForkBody(steps);
    case 'pretrained':
      return t.confirmPretrainedBody(steps, c.what ?? '');
    case 'import':
      return t.confirmImportBody(steps, c.what ?? '');
    case 'scratch':
      return t.confirmScratchBody(steps);
    default:
      return t.confirmBody(steps); // a new corpus or size: random weights
  }
}

export function ConfirmDialog() {
  const t = useT();
  const confirm = useFolio((s) => s.confirm);
  // Read live from the model the question is about (it asks only about the live one): the true count, never a stale copy.
  const steps = useTotalSteps();
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (confirm && !d.open) {
      d.showModal();
      cancel.current?.focus(); // the safe choice has the focus (showModal picks the first button)
    }
    if (!confirm && d.open) d.close();
  }, [confirm]);
  return (
    <dialog ref={ref} className="confirm" aria-labelledby="confirm-h" onClose={() => useFolio.get().answered()}>
      {confirm && (
        <>
          <h2 id="confirm-h">{t.confirmTitle}</h2>
          <p data-testid="confirm-body" data-steps={steps}>
            {whatReplaces(t, confirm, steps)}
          </p>
          <div className="row wrap">
            <button className="secondary" data-testid="confirm-save" onClick={() => commands.checkpoints.exportCheckpoint()}>
              {t.confirmSave}
            </button>
            <button
              data-testid="confirm"
              onClick={() => {
                useFolio.get().answered();
                confirm.proceed();
              }}
            >
              {t.confirmReplace}
            </button>
            <button ref={cancel} className="secondary" data-testid="cancel" onClick={() => useFolio.get().answered()}>
              {t.cancel}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
