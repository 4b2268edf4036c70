/**
 * The runs list: one row per stored run (overlay checkbox, colour, what differs from the
 * run before, its last val loss in the unit the page shows), rename / pin / fork / delete;
 * the share link; and the runs a shared link asks to re-run. The runs on the live model's
 * corpus come first, with one button to draw them all on the chart (nothing is drawn beside
 * the live run until ticked). Reads the runs slice (state/runs.ts); every action goes through
 * `runsActions` or `commands`.
 */
import { useEffect, useState } from 'react';
import { MAX_TRAIN_STEPS } from '../../config';
import { diffLabel } from '../../state/runDiff';
import { previousRun, RUN_NAME_MAX, runsActions, useLiveRunId, useRuns, type StoredRun } from '../../state/runs';
import { shareUrl } from '../../state/runShare';
import { useFolio } from '../../state/store';
import { runLoss, useShownUnit } from '../../state/lossUnit';
import { textUnitOf } from '../../train/lossUnits';
import { commands } from '../app/commands';
import { LIVE_COLOR, runColor } from './RunsOverlay';
import { useT } from '../app/useT';
import { inLimits, NumberField, type NumberLimits } from '../shared/NumberField';

/** What a fork may change, and the range of each: a rate above 0 and below 1 (as bounds a box can show), or a run's steps. */
const FORK_LIMITS: Record<'lr' | 'steps', NumberLimits> = {
  lr: { min: 1e-6, max: 0.99, step: 'any' },
  steps: { min: 1, max: MAX_TRAIN_STEPS, step: 'any', integer: true },
};

function ForkForm({ run, done }: { run: StoredRun; done: () => void }) {
  const t = useT();
  const [setting, setSetting] = useState<'lr' | 'steps'>('lr');
  const [v, setV] = useState(run.config.train.learningRate / 3 >= 1e-4 ? +(run.config.train.learningRate / 3).toPrecision(1) : run.config.train.learningRate);
  return (
    <div className="row wrap fork-form" data-testid="run-fork-form">
      <label className="inline-field">
        {t.runsForkSetting}{' '}
        <select
          value={setting}
          onChange={(e) => {
            const s = e.target.value as 'lr' | 'steps';
            setSetting(s);
            setV(s === 'lr' ? run.config.train.learningRate : run.config.steps);
          }}
        >
          <option value="lr">{t.runsForkLr}</option>
          <option value="steps">{t.runsForkSteps}</option>
        </select>
      </label>
      <NumberField key={setting} {...FORK_LIMITS[setting]} testId="run-fork-value" value={v} onChange={setV} />
      <button
        data-testid="run-fork-go"
        disabled={!inLimits(v, FORK_LIMITS[setting])}
        onClick={() => {
          commands.runs.forkRun(run.id, { setting, value: v });
          done();
        }}
      >
        {t.runsForkGo}
      </button>
    </div>
  );
}

/** A run's name: the person's, else its number (a sweep's size: the sweep's number and the size's place). */
const runName = (run: StoredRun) => run.label ?? (run.group ? `#${run.number}.${run.group.index + 1}` : `#${run.number}`);

function RunRow({ run, index }: { run: StoredRun; index: number }) {
  const t = useT();
  const lang = useFolio((s) => s.settings.lang);
  const runs = useRuns((s) => s.runs);
  const live = useLiveRunId() === run.id;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(run.label ?? '');
  const [forking, setForking] = useState(false);
  const prev = previousRun(runs, run.id);
  const diff = diffLabel(prev?.config, run.config, lang, prev ? { prev: prev.backend, cur: run.backend } : undefined);
  const { unit } = useShownUnit();
  const nats = run.curves.val.at(-1)?.val;
  const lastVal = nats === undefined ? NaN : runLoss(run, nats, unit);
  const lastStep = Math.max(run.curves.train.at(-1)?.step ?? 0, run.curves.val.at(-1)?.step ?? 0);
  return (
    <li data-testid="run-row" data-run-id={run.id} className={`run-row${run.pinned ? ' pinned' : ''}`}>
      <div className="row wrap">
        <input
          type="checkbox"
          data-testid="run-overlay"
          aria-label={t.runsOverlay}
          checked={!!run.overlay}
          onChange={(e) => runsActions.setOverlay(run.id, e.target.checked)}
        />
        <span className="run-swatch" style={{ background: live ? LIVE_COLOR : runColor(index) }} aria-hidden="true" />
        {editing ? (
          <>
            <input
              data-testid="run-name"
              maxLength={RUN_NAME_MAX}
              value={name}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && (runsActions.rename(run.id, name), setEditing(false))}
            />
            <button className="secondary small" onClick={() => (runsActions.rename(run.id, name), setEditing(false))}>
              {t.runsRenameDone}
            </button>
          </>
        ) : (
          <span className="run-name" data-testid="run-number" data-number={run.number}>
            {runName(run)}
          </span>
        )}
        <span className="run-diff" data-testid="run-diff">
          {diff}
        </span>
        {run.parent && <span className="muted small">({t.runsForkFrom(run.parent.step)})</span>}
        {live && <span className="muted small">· {t.runsLive}</span>}
        <span className="muted small run-summary" data-testid="run-summary" data-val={Number.isFinite(lastVal) ? lastVal.toFixed(4) : ''} data-unit={unit}>
          {t.runsSummary(
            lastStep,
            Number.isFinite(lastVal) ? `${t.fixed(lastVal, 3)} ${t.unitShort(unit, textUnitOf(run.config.tokenizer.kind))}` : '–',
            run.backend,
          )}
        </span>
        <span className="run-actions">
          <button className="secondary small" onClick={() => setEditing(!editing)}>
            {t.runsRename}
          </button>
          <button
            className="secondary small"
            data-testid="run-pin"
            aria-pressed={!!run.pinned}
            title={run.pinned ? t.runsUnpin : t.runsPin}
            onClick={() => runsActions.togglePin(run.id)}
          >
            {run.pinned ? '★' : '☆'}
          </button>
          <button
            className="secondary small"
            data-testid="run-fork"
            disabled={!run.checkpoint}
            title={run.checkpoint ? t.runsForkTitle : t.runsNoCheckpoint}
            onClick={() => setForking(!forking)}
          >
            {t.runsFork}
          </button>
          {!run.group && (
            <button className="secondary small" data-testid="run-delete" onClick={() => commands.runs.removeRun(run.id)}>
              {t.runsDelete}
            </button>
          )}
        </span>
      </div>
      {forking && run.checkpoint && <ForkForm run={run} done={() => setForking(false)} />}
    </li>
  );
}

function SharedRuns() {
  const t = useT();
  const lang = useFolio((s) => s.settings.lang);
  const shared = useRuns((s) => s.shared);
  const unreadable = useRuns((s) => s.sharedUnreadable);
  if (unreadable)
    return (
      <p className="error-inline small" role="alert" data-testid="shared-unreadable">
        {t.runsSharedUnreadable}{' '}
        <button className="secondary small" onClick={runsActions.dismissUnreadable}>
          {t.runsDismiss}
        </button>
      </p>
    );
  if (shared.length === 0) return null;
  return (
    <div className="shared-runs" data-testid="shared-runs">
      <h4>{t.runsSharedTitle}</h4>
      <ol>
        {shared.map((r, i) => (
          <li key={i} data-testid="shared-run" className="row wrap">
            <span className="run-name">{r.label ?? `#${i + 1}`}</span>
            <span className="run-diff">{diffLabel(shared[i - 1]?.config, r.config, lang)}</span>
            {!r.config.corpus.bundled && <span className="muted small">{t.runsSharedPasted(r.config.corpus.name)}</span>}
            <button data-testid="shared-run-start" onClick={() => commands.runs.rerunShared(r)}>
              {t.runsSharedRun}
            </button>
            <button className="secondary small" onClick={() => runsActions.dropShared(i)}>
              {t.runsDismiss}
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}

function ShareLink() {
  const t = useT();
  const runs = useRuns((s) => s.runs);
  const [link, setLink] = useState('');
  const chosen = runs.filter((r) => r.overlay);
  return (
    <div className="row wrap">
      <button
        className="secondary"
        data-testid="runs-share"
        disabled={chosen.length === 0}
        onClick={() => {
          const url = shareUrl(
            location.href,
            chosen.map((r) => ({ config: r.config, seed: r.seed, ...(r.label ? { label: r.label } : {}) })),
          );
          setLink(url);
          void navigator.clipboard?.writeText(url).catch(() => undefined);
        }}
      >
        {t.runsShare}
      </button>
      {link && <input data-testid="runs-share-link" readOnly value={link} onFocus={(e) => e.target.select()} className="share-link" />}
      <span className="muted small">{t.runsShareHint}</span>
    </div>
  );
}

/** A size sweep: one entry of the list, its sizes inside; deleted (and brought back) together. */
function SweepGroup({ members, first }: { members: StoredRun[]; first: number }) {
  const t = useT();
  const head = members[0]!;
  return (
    <li data-testid="run-group" data-number={head.number} className="run-group">
      <div className="row wrap">
        <span className="run-name">#{head.number}</span>
        <span className="muted small">{t.runsSweep(members.length)}</span>
        <span className="run-actions">
          <button className="secondary small" data-testid="run-delete" onClick={() => commands.runs.removeRun(head.id)}>
            {t.runsDelete}
          </button>
        </span>
      </div>
      <ul className="runs-list">
        {members.map((r, k) => (
          <RunRow key={r.id} run={r} index={first + k} />
        ))}
      </ul>
    </li>
  );
}

/** "#3 deleted. Undo" for a few seconds after a delete. */
function UndoDelete() {
  const t = useT();
  const removed = useRuns((s) => s.removed);
  useEffect(() => {
    if (!removed) return;
    const timer = setTimeout(runsActions.forgetRemoved, UNDO_MS);
    return () => clearTimeout(timer);
  }, [removed]);
  if (!removed) return null;
  return (
    <p className="row wrap small" role="status" data-testid="run-undo">
      <span>{t.runsDeleted(removed.label)}</span>
      <button className="secondary small" data-testid="run-undo-button" onClick={commands.runs.undoRemoveRun}>
        {t.runsUndo}
      </button>
    </p>
  );
}

/** How long a deleted run can be brought back. */
const UNDO_MS = 10_000;

/** The list's entries: a run, or a sweep's sizes together (they are stored next to each other). */
function entries(runs: StoredRun[]): { key: string; members: StoredRun[]; first: number }[] {
  const out: { key: string; members: StoredRun[]; first: number }[] = [];
  runs.forEach((r, i) => {
    const last = out.at(-1);
    if (r.group && last && last.members[0]!.group?.id === r.group.id) last.members.push(r);
    else out.push({ key: r.group?.id ?? r.id, members: [r], first: i });
  });
  return out;
}

/** The list's entries: those on the live model's corpus first (with a button to draw them all), then the others. */
function RunsList({ runs }: { runs: StoredRun[] }) {
  const t = useT();
  const corpus = useFolio((s) => s.model?.corpusName);
  const all = entries(runs);
  const here = all.filter((e) => e.members[0]!.config.corpus.name === corpus);
  const elsewhere = all.filter((e) => e.members[0]!.config.corpus.name !== corpus);
  const hereIds = here.flatMap((e) => e.members.map((r) => r.id));
  const anyDrawn = runs.some((r) => r.overlay);
  const item = (e: (typeof all)[number]) =>
    e.members[0]!.group ? <SweepGroup key={e.key} members={e.members} first={e.first} /> : <RunRow key={e.key} run={e.members[0]!} index={e.first} />;
  return (
    <>
      {(hereIds.length > 1 || anyDrawn) && (
        <div className="row wrap">
          {hereIds.length > 1 && (
            <button className="secondary small" data-testid="runs-compare-corpus" onClick={() => runsActions.drawOnly(hereIds)}>
              {t.runsCompareCorpus(hereIds.length)}
            </button>
          )}
          {anyDrawn && (
            <button className="secondary small" data-testid="runs-clear-chart" onClick={() => runsActions.drawOnly([])}>
              {t.runsClearChart}
            </button>
          )}
        </div>
      )}
      {here.length > 0 && elsewhere.length > 0 && <h4 className="small">{t.runsThisCorpus}</h4>}
      {here.length > 0 && (
        <ul className="runs-list" data-testid="runs-this-corpus">
          {here.map(item)}
        </ul>
      )}
      {elsewhere.length > 0 && here.length > 0 && <h4 className="small">{t.runsOtherCorpora}</h4>}
      {elsewhere.length > 0 && (
        <ul className="runs-list" data-testid="runs-other-corpora">
          {elsewhere.map(item)}
        </ul>
      )}
    </>
  );
}

export function RunsPanel() {
  const t = useT();
  const runs = useRuns((s) => s.runs);
  return (
    <section className="runs" aria-labelledby="runs-h" data-testid="runs">
      <h3 id="runs-h">{t.runsTitle}</h3>
      <p className="muted small">{t.runsHint}</p>
      <SharedRuns />
      <UndoDelete />
      {runs.length === 0 ? <p className="muted">{t.runsEmpty}</p> : <RunsList runs={runs} />}
      {runs.length > 0 && <ShareLink />}
    </section>
  );
}
