/**
 * A note on a run or a model version: read from GET …/note, saved with POST …/note (the token is asked
 * for when the server wants it); an empty note removes it. The box is read-only until the stored note
 * has loaded, so that nothing typed is overwritten by it.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText, getJson, postJson } from './api.js';
import { when } from './format.js';

interface NoteAnswer { text: string; updatedAt: string | null }

export function NoteEditor(props: { url: string; label: string }) {
  const [text, setText] = useState('');
  const [saved, setSaved] = useState<NoteAnswer | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => {
    setSaved(null); setStatus(null);
    getJson<NoteAnswer>(props.url).then((n) => { setSaved(n); setText(n.text); }, (e) => setStatus(errorText(e)));
  }, [props.url]);
  const save = async (): Promise<void> => {
    setStatus('Saving…');
    try {
      const n = await postJson<NoteAnswer>(props.url, { text }, { auth: true });
      setSaved(n); setText(n.text);
      setStatus(n.text ? 'Saved.' : 'Note removed.');
    } catch (e) {
      setStatus(errorText(e));
    }
  };
  return (
    <div class="note" data-testid="note">
      <label for={`note-${props.url}`}>{props.label}</label>
      <textarea id={`note-${props.url}`} rows={3} maxLength={10_000} value={text} disabled={saved === null} onInput={(e) => setText(e.currentTarget.value)} placeholder="What was tried, why it was promoted, …" />
      <div class="row">
        <button type="button" class="secondary small" disabled={saved === null || text === saved.text} onClick={() => void save()}>Save note</button>
        <span class="muted small" role="status">{status ?? (saved?.updatedAt ? `Last saved ${when(saved.updatedAt)}` : '')}</span>
      </div>
    </div>
  );
}
