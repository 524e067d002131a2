/**
 * A feature's push towards phishing as horizontal bars drawn in HTML (not on a canvas), so a long
 * feature name wraps instead of being cut, and the axis says its units: bars right of zero push
 * towards phishing (red), left towards legitimate (green), on a scale symmetric around zero.
 */
import { titleOf } from './features.js';

export interface PushAxis { title: string; unit: string; scale: number }

const fmt = (v: number): string => `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(2)}`;

export function PushBars(props: { pushes: [name: string, value: number][]; axis: PushAxis }) {
  const values = props.pushes.map(([, v]) => v * props.axis.scale);
  const max = Math.max(1e-9, ...values.map(Math.abs));
  return (
    <figure class="push-bars" data-testid="contribution-chart" aria-label={`Features that pushed the verdict most, ${props.axis.title}`}>
      <ol>
        {props.pushes.map(([name], i) => {
          const v = values[i]!;
          const width = (Math.abs(v) / max) * 50;
          return (
            <li key={name} class="push-row">
              <span class="push-name">{titleOf(name)}</span>
              <span class="push-track" aria-hidden="true"><span class={v > 0 ? 'bad' : 'good'} style={{ left: `${v > 0 ? 50 : 50 - width}%`, width: `${width}%` }} /></span>
              <span class="push-value">{fmt(v)}{props.axis.unit}</span>
            </li>
          );
        })}
      </ol>
      <div class="push-row" aria-hidden="true"><span /><span class="push-axis"><span>{fmt(-max)}</span><span>0</span><span>{fmt(max)}</span></span><span /></div>
      <figcaption class="push-row"><span /><span class="push-title">{props.axis.title}</span><span /></figcaption>
    </figure>
  );
}
