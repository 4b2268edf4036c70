/**
 * The backend race: a copy of the model trains the same steps on each backend; the table
 * puts ms/step, tokens/s, the speed-up over plain JavaScript and the first losses side by
 * side, and says why a backend did not race. The work happens in the worker (raceJob.ts).
 */
import { useState } from 'react';
import { useExperiments } from '../../state/experiments';
import { useFolio } from '../../state/store';
import type { RaceEntrant } from '../../worker/experimentProtocol';
import { commands } from '../app/commands';
import { human } from '../shared/ParamScale';
import { useSay, useT } from '../app/useT';
import { Panel } from '../shared/Panel';
import { NumberField, type NumberLimits } from '../shared/NumberField';

const LOSSES_SHOWN = 3;
/** How many steps each backend races. */
const RACE_STEPS: NumberLimits = { min: 2, max: 100, integer: true };

export function RacePanel() {
  const t = useT();
  const say = useSay();
  const race = useExperiments((s) => s.race);
  const sweepBusy = useExperiments((s) => s.sweep.status === 'running' || s.sweep.status === 'planning');
  const error = useExperiments((s) => (s.error?.what === 'race' ? s.error.notice : undefined));
  const model = useFolio((s) => s.model);
  const [steps, setSteps] = useState(6);
  const [emulated, setEmulated] = useState(false);
  const running = race.status === 'running';
  const name = (e: RaceEntrant) => t.raceNames[e];
  const cpu = race.results.find((r) => r.entrant === 'cpu');
  const first = race.results.map((r) => r.firstLosses[0] ?? NaN);
  const spread = first.length > 1 ? Math.max(...first) - Math.min(...first) : 0;
  return (
    <Panel id="race-h" className="race" title={t.raceTitle} hint={t.raceHint}>
      <div className="row wrap">
        <label className="inline-field">
          {t.raceSteps}
          <NumberField {...RACE_STEPS} testId="race-steps" value={steps} onChange={setSteps} style={{ width: '4.5rem' }} />
        </label>
        <label className="inline-field">
          <input data-testid="race-emulated" type="checkbox" checked={emulated} onChange={(e) => setEmulated(e.target.checked)} />
          {t.raceEmulated}
        </label>
        <button data-testid="race-start" disabled={!model || running || sweepBusy} onClick={() => commands.experiments.startRace(steps, emulated)}>
          {t.raceStart}
        </button>
        {running && (
          <button data-testid="race-stop" onClick={() => commands.experiments.stopExperiment()}>
            {t.raceStop}
          </button>
        )}
      </div>
      <p className="muted small" data-testid="race-status" data-status={race.status} aria-live="polite">
        {running
          ? race.current
            ? t.raceRunning(name(race.current.entrant), race.current.step, race.current.steps)
            : t.raceStarting
          : race.params > 0
            ? t.raceModel(human(race.params, t.num), race.steps)
            : ''}
      </p>
      {error && <p className="error-inline">{say(error)}</p>}
      {race.results.length > 0 && (
        <div className="race-table-box">
          <table className="race-table" data-testid="race-table">
            <thead>
              <tr>
                <th scope="col">{t.raceColBackend}</th>
                <th scope="col">{t.raceColMs}</th>
                <th scope="col">{t.raceColTokens}</th>
                <th scope="col">{t.raceColSpeedup}</th>
                <th scope="col">{t.raceColLosses}</th>
              </tr>
            </thead>
            <tbody>
              {race.results.map((r) => (
                <tr
                  key={r.entrant}
                  data-testid="race-result"
                  data-backend={r.entrant}
                  data-ms-per-step={r.msPerStep.toFixed(2)}
                  data-tokens-per-sec={Math.round(r.tokensPerSec)}
                  data-first-loss={r.firstLosses[0]?.toFixed(6)}
                  data-emulated={String(r.emulated)}
                >
                  <th scope="row">
                    {name(r.entrant)}
                    <span className="muted small race-label">{r.labelNotice ? say(r.labelNotice) : r.label}</span>
                    {r.emulated && <span className="race-emulated">{t.raceEmulatedTag}</span>}
                  </th>
                  <td>{t.fixed(r.msPerStep, r.msPerStep >= 100 ? 0 : 1)}</td>
                  <td>{t.num(Math.round(r.tokensPerSec))}</td>
                  <td>{cpu ? t.times(cpu.msPerStep / r.msPerStep) : '–'}</td>
                  <td className="race-losses">
                    {r.firstLosses
                      .slice(0, LOSSES_SHOWN)
                      .map((l) => t.fixed(l, 4))
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {race.results.length > 1 && !running && (
        <p className={spread < 1e-3 ? 'muted small' : 'note small'} data-testid="race-agree" data-spread={spread}>
          {spread < 1e-3 ? t.raceSame : t.raceDiffer(t.fixed(spread, 4))} {t.raceShared}
        </p>
      )}
      {race.skipped.length > 0 && (
        <>
          <h3>{t.raceSkippedTitle}</h3>
          <ul className="race-skipped">
            {race.skipped.map((s) => (
              <li key={s.entrant} data-testid="race-skipped" data-backend={s.entrant}>
                <strong>{name(s.entrant)}</strong>: {say(s.notice)}
              </li>
            ))}
          </ul>
        </>
      )}
    </Panel>
  );
}
