/**
 * The unit every loss on the page is read in (state/lossUnit.ts): automatic (bits per
 * character while other runs are drawn, nats per token otherwise), nats per token, or bits
 * per character (per base for DNA in k-mers). Sits in the loss chart's header.
 */
import { chooseLossUnit, useLossUnit, useShownUnit, type LossUnitChoice } from '../../state/lossUnit';
import { useFolio } from '../../state/store';
import { useT } from '../app/useT';

export function LossUnitToggle() {
  const t = useT();
  const choice = useLossUnit((s) => s.choice);
  const { unit, text } = useShownUnit();
  const cpt = useFolio((s) => s.model?.charsPerToken.val);
  return (
    <label className="inline-field" title={cpt ? t.unitExplain(t.fixed(cpt, 2), text) : undefined}>
      {t.unitLabel}{' '}
      <select data-testid="loss-unit" data-unit={unit} value={choice} onChange={(e) => chooseLossUnit(e.target.value as LossUnitChoice)}>
        <option value="auto">{t.unitAuto(t.unitName(unit, text))}</option>
        <option value="nats">{t.unitName('nats', text)}</option>
        <option value="bits">{t.unitName('bits', text)}</option>
      </select>
    </label>
  );
}
