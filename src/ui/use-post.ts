/**
 * A form's POST to the API as state: the last answer, the error text, and whether a request is in
 * flight. `submit` prevents the form's own submission and replaces the answer (or the error).
 *
 * @example
 *   const post = usePost<Analysis>(); <form onSubmit={(e) => void post.submit(e, '/api/v1/analyze', body)}>
 */
import { useState } from 'preact/hooks';
import { errorText, postJson } from './api.js';

export function usePost<T>() {
  const [result, setResult] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event, url: string, body: unknown): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await postJson<T>(url, body));
    } catch (err) {
      setError(errorText(err));
      setResult(null);
    } finally {
      setBusy(false);
    }
  };
  return { result, error, busy, submit, setResult };
}
