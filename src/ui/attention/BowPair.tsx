/**
 * The same word, two meanings: two sentences (the article's two "bow" sentences until the
 * person edits them) read by the bundled bow model (corpus/bow.txt), side by side — what the
 * last token (or, word by word, the last word) attends to, the next words after it, and how
 * the model goes on.
 */
import type { SentenceView } from '../../predict/bowView';
import { groupWords, wordMap } from '../../predict/wordAttention';
import { useBow } from '../../state/bow';
import type { AttentionLevel } from '../../state/attentionText';
import { commands } from '../app/commands';
import { useSay, useT } from '../app/useT';
import { pickMap } from './pickMap';
import { shade } from './WordAttention';

/** One sentence as the bow model read it: the words shaded by how much its end looks at each, then what it says comes next. */
function BowSentence({ sentence, view, layer, head, level }: { sentence: string; view?: SentenceView; layer: number; head: number; level: AttentionLevel }) {
  const t = useT();
  const say = useSay();
  const failed = useBow((s) => s.failed);
  if (!view) return <p className="muted">{failed ? `${t.bowFailed} ${say(failed)}` : t.bowLoading}</p>;
  const map = pickMap({ tokens: view.tokens, maps: view.maps }, layer, head);
  const seen = view.tokens.map((tok) => tok.replace(/␣/g, ' ').replace(/↵/g, '\n'));
  const text = seen.join('');
  // The model reads at most its context: show what fell off the front, greyed.
  const cut = view.sentence.endsWith(text) ? view.sentence.slice(0, view.sentence.length - text.length) : '';
  const readsBow = /bow$/i.test(text) || !/bow$/i.test(sentence.trim());
  const lastWord = /\S+$/u.exec(view.sentence)?.[0] ?? '';
  const words = view.prediction.words.filter((w) => w.word !== '<unk>').slice(0, 5);
  // Word by word: the last word's row of the summed map; token by token: the last token's.
  const groups = level === 'words' ? groupWords(view.tokens) : undefined;
  const row = groups ? (wordMap(map, groups).at(-1) ?? []) : (map.at(-1) ?? []);
  const pieces = groups ? groups.texts : seen;
  const labels = groups ? groups.words : view.tokens;
  return (
    <>
      <p className="bow-sentence" data-testid="bow-attention" data-level={level}>
        {cut && <span className="bow-cut">{cut}</span>}
        {pieces.map((piece, k) => (
          <span
            key={k}
            className={k === pieces.length - 1 ? 'bow-query' : undefined}
            data-weight={row[k] ?? 0}
            style={shade(row[k] ?? 0)}
            title={t.attnCell(labels.at(-1) ?? '', labels[k] ?? '', t.pct(row[k] ?? 0))}
          >
            {piece}
          </span>
        ))}
      </p>
      {!readsBow && <p className="muted small">{t.bowMissing}</p>}
      <p className="bow-next" data-testid="bow-next">
        <span className="muted small">{t.bowNext}: </span>
        {words.map((w) => (
          <span key={w.word} className="bow-word" data-testid="bow-word" data-word={w.word} data-prob={w.p}>
            {w.word} <span className="muted">{t.pct(w.p)}</span>
          </span>
        ))}
      </p>
      <p className="bow-next">
        <span className="muted small">{t.bowGoesOn}: </span>
        <span className="bow-continuation" data-testid="bow-continuation">
          …{lastWord}
          {view.continuation}
        </span>
      </p>
    </>
  );
}

export function BowPair({ layer, head, level }: { layer: number; head: number; level: AttentionLevel }) {
  const t = useT();
  const views = useBow((s) => s.views);
  const sentences = useBow((s) => s.sentences);
  return (
    <>
      <h3>{t.bowTitle}</h3>
      <p className="hint">{t.bowModelHint}</p>
      <div className="bow-pair">
        {([0, 1] as const).map((i) => (
          <figure key={i}>
            <label className="bow-edit">
              <span className="visually-hidden">{t.bowSentence(i + 1)}</span>
              <input
                data-testid="bow-input"
                aria-label={t.bowSentence(i + 1)}
                value={sentences[i]}
                spellCheck={false}
                onChange={(e) => commands.attention.setBowSentence(i, e.target.value)}
              />
            </label>
            {/* The view of the sentence as it was read (an edit is read once typing pauses). */}
            <BowSentence sentence={views?.[i]?.sentence ?? sentences[i]} view={views?.[i]} layer={layer} head={head} level={level} />
          </figure>
        ))}
      </div>
    </>
  );
}
