/**
 * Check by features: the 30 features as labelled choices grouped by where they come from, defaults set to
 * the most common value; the verdict with its probability and the features that pushed it most, in
 * words and as a bar chart.
 */
import { useState } from 'preact/hooks';
import { describeValue, features, groups } from '../features.js';
import { pct } from '../format.js';
import { PushBars, type PushAxis } from '../push-bars.js';
import type { PredictResponse } from '../types.js';
import { usePost } from '../use-post.js';

const defaults = (): Record<string, number> => Object.fromEntries(features.map((f) => [f.name, f.common]));

export function CheckPage() {
  const [values, setValues] = useState(defaults);
  const post = usePost<PredictResponse>();
  const { result, error, busy, setResult } = post;

  return (
    <section aria-labelledby="check-title">
      <header class="page-head">
        <h1 id="check-title">Check by features</h1>
        <p>Describe what you see on the site; each choice starts at the most common value in the training data.</p>
      </header>
      <div class="check-layout">
        <form class="card features-form" onSubmit={(e) => void post.submit(e, '/api/v1/predict', { row: values, contributions: true })} aria-describedby="check-help">
          <p id="check-help" class="muted">Change the choices that differ for the site you are checking, then press <kbd>Check</kbd>.</p>
          {groups.map((g) => (
            <fieldset key={g}>
              <legend>{g}</legend>
              <div class="feature-grid">
                {features.filter((f) => f.group === g).map((f) => (
                  <div class="field" key={f.name}>
                    <label for={`f-${f.name}`}>{f.title}</label>
                    <select id={`f-${f.name}`} name={f.name} value={String(values[f.name])}
                      class={values[f.name] !== f.common ? 'changed' : undefined}
                      onChange={(e) => setValues({ ...values, [f.name]: Number(e.currentTarget.value) })}>
                      {f.values.map(([v, text]) => <option key={v} value={String(v)}>{text}</option>)}
                    </select>
                  </div>
                ))}
              </div>
            </fieldset>
          ))}
          <div class="row sticky-actions">
            <button type="submit" class="primary" disabled={busy}>{busy ? 'Checking…' : 'Check'}</button>
            <button type="button" class="secondary" onClick={() => { setValues(defaults()); setResult(null); }}>Reset to common values</button>
          </div>
        </form>
        <aside class="result-col" aria-live="polite">
          {error && <div class="alert error" role="alert">{error}</div>}
          {result ? <Verdict result={result} values={values} /> : !error && <div class="card placeholder"><p>The verdict appears here.</p></div>}
        </aside>
      </div>
    </section>
  );
}

/** Axis title, units and scale of the contributions, from the space the API names. */
function contributionAxis(space: PredictResponse['contributionSpace']): PushAxis & { space: string } {
  if (space === 'probability') return { title: 'push towards phishing, in percentage points of the probability of phishing', space: 'the probability of phishing, in percentage points', unit: ' pp', scale: 100 };
  if (space === 'log-odds') return { title: 'push towards phishing, in log-odds of phishing', space: 'the log-odds of phishing', unit: '', scale: 1 };
  return { title: 'push towards phishing', space: 'in the model\'s own units', unit: '', scale: 1 };
}

function Verdict(props: { result: PredictResponse; values: Record<string, number> }) {
  const p = props.result.predictions[0]!;
  const phishing = p.label === -1;
  const contributions = Object.entries(p.contributions ?? {}).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  const top = contributions.slice(0, 10);
  const axis = contributionAxis(props.result.contributionSpace);
  return (
    <div class={`card verdict ${phishing ? 'bad' : 'good'}`} data-testid="verdict">
      <div class="verdict-head">
        <span class="badge-big" aria-hidden="true">{phishing ? '!' : '✓'}</span>
        <div>
          <h2>{phishing ? 'Likely phishing' : 'Likely legitimate'}</h2>
          <p>Probability of phishing: <strong>{pct(p.probPhishing)}</strong> · model v{props.result.modelVersion} ({props.result.modelKind})</p>
        </div>
      </div>
      <div class="meter" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(p.probPhishing * 100)} aria-label="Probability of phishing">
        <div style={{ width: `${(p.probPhishing * 100).toFixed(1)}%` }} />
      </div>
      {top.length > 0 ? (
        <>
          <h3>What pushed the verdict most</h3>
          <ol class="reasons">
            {top.slice(0, 5).map(([name, v]) => (
              <li key={name}><span class={v > 0 ? 'towards-bad' : 'towards-good'}>{v > 0 ? 'towards phishing' : 'towards legitimate'}</span> {describeValue(name, props.values[name] ?? 0)}</li>
            ))}
          </ol>
          <PushBars pushes={top} axis={axis} />
          <p class="muted small" data-testid="contribution-caption">
            Each bar is one feature's push on the model's phishing score ({axis.space}): red to the right towards phishing,
            green to the left towards legitimate.{p.base !== undefined ? ` The base score (${(p.base * axis.scale).toFixed(2)}${axis.unit}) plus the pushes of all features gives the score of this site.` : ''}
          </p>
        </>
      ) : <p class="muted">This model does not explain single predictions.</p>}
    </div>
  );
}
