/**
 * Modal dialogs on the native <dialog> element (focus trapping and Esc for free): a confirmation
 * and the API-token prompt.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

/** Asks to confirm an action; `open` controls it, `onClose(true)` means confirmed. */
export function ConfirmDialog(props: { open: boolean; title: string; body: string; confirm: string; onClose: (ok: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" onCancel={(e) => { e.preventDefault(); props.onClose(false); }}>
      <h2 id="confirm-title">{props.title}</h2>
      <p>{props.body}</p>
      <div class="row end">
        <button type="button" class="secondary" onClick={() => props.onClose(false)}>Cancel</button>
        <button type="button" class="primary" onClick={() => props.onClose(true)}>{props.confirm}</button>
      </div>
    </dialog>
  );
}

/** The token prompt; resolves the pending request with the token or null. */
export function TokenDialog(props: { request: { message: string; resolve: (t: string | null) => void } | null }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState('');
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.request && !d.open) { setValue(''); d.showModal(); }
    if (!props.request && d.open) d.close();
  }, [props.request]);
  const finish = (t: string | null): void => props.request?.resolve(t);
  return (
    <dialog ref={ref} aria-labelledby="token-title" onCancel={(e) => { e.preventDefault(); finish(null); }}>
      <form method="dialog" onSubmit={(e) => { e.preventDefault(); finish(value.trim() || null); }}>
        <h2 id="token-title">API token</h2>
        <label for="token-input">{props.request?.message ?? ''}</label>
        <input id="token-input" type="password" autocomplete="off" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        <div class="row end">
          <button type="button" class="secondary" onClick={() => finish(null)}>Cancel</button>
          <button type="submit" class="primary">Use token</button>
        </div>
      </form>
    </dialog>
  );
}
