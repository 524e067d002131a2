/**
 * Batch: drop (or pick) a CSV, the server scores it; predictions and per-row errors appear in a
 * sortable, filterable table, and the scored CSV can be downloaded as the server returned it.
 */
import { useMemo, useState } from 'preact/hooks';
import { errorText, scoreCsv } from '../api.js';
import { parseCsv } from '../csv.js';

interface Scored { name: string; text: string; header: string[]; rows: string[][]; rowErrors: number; modelVersion: string; url: string }
const pageSize = 100;

export function BatchPage() {
  const [scored, setScored] = useState<Scored | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);

  const upload = async (file: File): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const res = await scoreCsv(file);
      const [header = [], ...rows] = parseCsv(res.text);
      if (scored) URL.revokeObjectURL(scored.url);
      const url = URL.createObjectURL(new Blob([res.text], { type: 'text/csv' }));
      setScored({ name: file.name, text: res.text, header, rows, rowErrors: res.rowErrors, modelVersion: res.modelVersion, url });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="batch-title">
      <header class="page-head">
        <h1 id="batch-title">Batch scoring</h1>
        <p>Upload a CSV whose header names the 30 features (extra columns are kept). Each row gets a prediction, or an error saying what is wrong with it.</p>
      </header>
      <div class={`card dropzone ${over ? 'over' : ''}`}
        onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)}
        onDrop={(e) => { e.preventDefault(); setOver(false); const f = e.dataTransfer?.files[0]; if (f) void upload(f); }}>
        <p>Drop a CSV file here, or</p>
        <label class="button primary" for="csv-file">Choose a CSV file…</label>
        <input id="csv-file" class="visually-hidden" type="file" accept=".csv,text/csv" onChange={(e) => { const f = e.currentTarget.files?.[0]; if (f) void upload(f); e.currentTarget.value = ''; }} />
        {busy && <p role="status">Scoring…</p>}
      </div>
      {error && <div class="alert error" role="alert">{error}</div>}
      {scored && <Results scored={scored} />}
    </section>
  );
}

function Results({ scored }: { scored: Scored }) {
  const [filter, setFilter] = useState('');
  const [show, setShow] = useState<'all' | 'phishing' | 'legitimate' | 'errors'>('all');
  const [sort, setSort] = useState<{ col: number; dir: 1 | -1 } | null>(null);
  const [page, setPage] = useState(0);
  const predCol = scored.header.indexOf('prediction');
  const probCol = scored.header.indexOf('phishing_probability');
  const errCol = scored.header.indexOf('error');
  const phishing = scored.rows.filter((r) => r[predCol] === '-1').length;

  const view = useMemo(() => {
    const q = filter.trim().toLowerCase();
    let rows = scored.rows.map((r, i) => ({ r, i }));
    if (show === 'errors') rows = rows.filter(({ r }) => r[errCol]);
    if (show === 'phishing') rows = rows.filter(({ r }) => r[predCol] === '-1');
    if (show === 'legitimate') rows = rows.filter(({ r }) => r[predCol] === '1');
    if (q) rows = rows.filter(({ r }) => r.some((c) => c.toLowerCase().includes(q)));
    if (sort) {
      const { col, dir } = sort;
      rows = [...rows].sort((a, b) => {
        const x = a.r[col] ?? '', y = b.r[col] ?? '';
        const nx = Number(x), ny = Number(y);
        const c = x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x.localeCompare(y);
        return c * dir;
      });
    }
    return rows;
  }, [scored, filter, show, sort]);
  const pages = Math.max(1, Math.ceil(view.length / pageSize));
  const shown = view.slice(page * pageSize, (page + 1) * pageSize);
  // Result columns first, then the input columns.
  const order = [predCol, probCol, errCol, ...scored.header.map((_, i) => i).filter((i) => i !== predCol && i !== probCol && i !== errCol)];

  return (
    <div class="card">
      <div class="row between wrap">
        <div class="stats" role="status" data-testid="batch-summary">
          <span><strong>{scored.rows.length}</strong> rows</span>
          <span class="pill bad"><strong>{phishing}</strong> phishing</span>
          <span class="pill good"><strong>{scored.rows.length - phishing - scored.rowErrors}</strong> legitimate</span>
          <span class="pill warn"><strong>{scored.rowErrors}</strong> with errors</span>
          <span class="muted">model v{scored.modelVersion}</span>
        </div>
        <a class="button primary" href={scored.url} download={scored.name.replace(/\.csv$/i, '') + '.scored.csv'}>Download scored CSV</a>
      </div>
      <div class="row wrap filters">
        <label>Filter <input type="search" value={filter} onInput={(e) => { setFilter(e.currentTarget.value); setPage(0); }} placeholder="text in any cell" /></label>
        <label>Show <select value={show} onChange={(e) => { setShow(e.currentTarget.value as typeof show); setPage(0); }}>
          <option value="all">all rows</option><option value="phishing">phishing only</option><option value="legitimate">legitimate only</option><option value="errors">rows with errors</option>
        </select></label>
        <span class="muted">{view.length} matching</span>
      </div>
      <div class="table-wrap">
        <table class="data-table" aria-label="Scored rows">
          <thead>
            <tr>
              <th scope="col">#</th>
              {order.map((c) => {
                const dir = sort?.col === c ? sort.dir : 0;
                return (
                  <th scope="col" key={c} aria-sort={dir === 1 ? 'ascending' : dir === -1 ? 'descending' : 'none'}>
                    <button type="button" class="sort" onClick={() => setSort({ col: c, dir: dir === 1 ? -1 : 1 })}>{scored.header[c]}{dir === 1 ? ' ▲' : dir === -1 ? ' ▼' : ''}</button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.map(({ r, i }) => (
              <tr key={i} class={r[errCol] ? 'row-error' : r[predCol] === '-1' ? 'row-bad' : undefined}>
                <td>{i + 1}</td>
                {order.map((c) => <td key={c}>{c === probCol && r[c] ? `${(Number(r[c]) * 100).toFixed(1)}%` : c === predCol && r[c] ? (r[c] === '-1' ? 'phishing' : 'legitimate') : r[c]}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="row pager">
        <button type="button" class="secondary" disabled={page === 0} onClick={() => setPage(page - 1)}>Previous</button>
        <span>Page {page + 1} of {pages}</span>
        <button type="button" class="secondary" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>Next</button>
      </div>
    </div>
  );
}
