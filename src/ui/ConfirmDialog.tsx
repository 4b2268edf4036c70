/** "Are you sure?" before a trained model is replaced, with a way to keep it. */
import { useEffect, useRef } from 'react';
import { commands } from './commands';
import { actions, useFolio } from '../state/store';
import { useT } from './useT';

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
          <p data-testid="confirm-body">{confirm.kind === 'fork' ? t.confirmForkBody(confirm.steps) : confirm.kind === 'pretrained' ? t.confirmPretrainedBody(confirm.steps, confirm.what ?? '') : confirm.kind === 'import' ? t.confirmImportBody(confirm.steps, confirm.what ?? '') : confirm.kind === 'scratch' ? t.confirmScratchBody(confirm.steps) : t.confirmBody(confirm.steps)}</p>
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
