/**
 * A small Q:/A: box: the person's question goes to the model in the prompt format its
 * instruction pairs were tuned in (state/commands/fineTune.ts `chatFormat`), and the
 * model's most likely answer comes back. Before any instruction tuning it says the model
 * will only continue the text.
 */
import { useState } from 'react';
import { useChat, useFolio, useModelId } from '../../state/store';
import { chatFormat } from '../../state/commands/fineTune';
import { commands } from '../app/commands';
import { useT } from '../app/useT';

/** A format as the person reads it: its marks around "…", with new lines and spaces visible. */
const shown = (s: string) => s.replace(/\n/g, '⏎').replace(/ /g, '·');

export function ChatBox() {
  const t = useT();
  const modelId = useModelId();
  const stages = useFolio((s) => s.tune.stages);
  const examples = useFolio((s) => s.tune.examples);
  const chat = useChat();
  const [question, setQuestion] = useState('');
  const tuned = stages.some((s) => s.kind === 'sft');
  const f = chatFormat(stages, examples);
  return (
    <div className="chat-box" data-testid="chat-box">
      <h4>{t.chatTitle}</h4>
      <p className="muted small">{tuned ? t.chatHint(`“${shown(f.before)}…${shown(f.after)}”`) : t.chatUntuned}</p>
      <form
        className="row wrap"
        onSubmit={(e) => {
          e.preventDefault();
          commands.fineTune.ask(question);
        }}
      >
        <label className="inline-field">
          <strong>{t.chatQ}</strong>{' '}
          <input data-testid="chat-question" value={question} onChange={(e) => setQuestion(e.target.value)} spellCheck={false} size={28} />
        </label>
        <button className="secondary" data-testid="chat-ask" disabled={!modelId || !question.trim()}>
          {t.chatAsk}
        </button>
      </form>
      {chat && (
        <p data-testid="chat-answer" data-answer={chat.answer ?? ''}>
          <strong>{t.chatA}</strong> {chat.answer ?? t.chatWaiting}
        </p>
      )}
    </div>
  );
}
