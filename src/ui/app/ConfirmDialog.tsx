/** "Are you sure?" before a trained model is replaced, with a way to keep it. */
import { useEffect, useRef } from 'react';
import { commands } from './commands';
import { actions, useFolio, type PendingConfirm } from '../../state/store';
import { useT } from './useT';

/** The question's sentence: what would replace the trained model. */
function whatReplaces(t: ReturnType<typeof useT>, c: PendingConfirm): string {
  switch (c.kind) {
    case 'fork':
      return t.confirmForkBody(c.steps);
    case 'pretrained':
      return t.confirmPretrainedBody(c.steps, c.what ?? '');
    case 'import':
      return t.confirmImportBody(c.steps, c.what ?? '');
    case 'scratch':
      return t.confirmScratchBody(c.steps);
    default:
      return t.confirmBody(c.steps); // a new corpus or size: random weights
  }
}

export function ConfirmDialog() {
  const t = useT();
  const confirm = useFolio((s) => s.confirm);
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
    <dialog ref={ref} className="confirm" aria-labelledby="confirm-h" onClose={() => actions.answered()}>
      {confirm && (
        <>
          <h2 id="confirm-h">{t.confirmTitle}</h2>
          <p data-testid="confirm-body">{whatReplaces(t, confirm)}</p>
          <div className="row wrap">
            <button className="secondary" data-testid="confirm-save" onClick={commands.exportCheckpoint}>
              {t.confirmSave}
            </button>
            <button
              data-testid="confirm"
              onClick={() => {
                actions.answered();
                confirm.proceed();
              }}
            >
              {t.confirmReplace}
            </button>
            <button ref={cancel} className="secondary" data-testid="cancel" onClick={() => actions.answered()}>
              {t.cancel}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
