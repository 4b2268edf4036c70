/**
 * What every fine-tuning stage is told besides its data: whether it holds the model's
 * predictions on pre-training text where they were (so the model keeps what it knew), and
 * its KL budget (the cost at which it stops). One choice for the panel, shown once above
 * both kinds of stage, so a learner can turn the hold off, run the same stage again and
 * watch the model forget.
 */
import { STAGE_DEFAULTS } from '../../train/finetune/tuneConfig';
import { NumberField, type NumberLimits } from '../shared/NumberField';
import { useT } from '../app/useT';

export interface StageChoice {
  keep: boolean;
  klBudget: number;
}

export const DEFAULT_CHOICE: StageChoice = { keep: true, klBudget: STAGE_DEFAULTS.klBudget };

/** Nats of KL from the model before the stage (0: no budget). */
const KL_BUDGET: NumberLimits = { min: 0, max: 50, step: 0.05 };

export function StageOptions({ value, onChange }: { value: StageChoice; onChange: (c: StageChoice) => void }) {
  const t = useT();
  return (
    <div className="tune-section stage-options">
      <div className="row wrap">
        <label className="inline-field" title={t.keepHint}>
          <input type="checkbox" data-testid="tune-keep" checked={value.keep} onChange={(e) => onChange({ ...value, keep: e.target.checked })} /> {t.keepLabel}
        </label>
        <label className="inline-field" title={t.klBudgetHint}>
          {t.klBudget} <NumberField {...KL_BUDGET} testId="kl-budget" value={value.klBudget} onChange={(klBudget) => onChange({ ...value, klBudget })} />
        </label>
      </div>
      <p className="muted small">
        {t.keepHint} {t.klBudgetHint}
      </p>
    </div>
  );
}
