/**
 * A Preact wrapper around one Chart.js chart: creates it on mount, replaces its data when props
 * change, destroys it on unmount. Only the Chart.js parts we use are registered (smaller bundle).
 */
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend, Filler);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#3d4a5c';
Chart.defaults.animation = false;

/** A chart with an accessible label (the canvas gets role="img" and aria-label). */
export function ChartView(props: { config: ChartConfiguration; label: string; height?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    if (!canvas.current) return undefined;
    chart.current?.destroy();
    chart.current = new Chart(canvas.current, { ...props.config, options: { responsive: true, maintainAspectRatio: false, ...props.config.options } });
    return () => { chart.current?.destroy(); chart.current = null; };
  }, [JSON.stringify(props.config.data), JSON.stringify(props.config.options ?? {})]);
  return (
    <div class="chart" style={{ height: `${props.height ?? 260}px` }}>
      <canvas ref={canvas} role="img" aria-label={props.label} />
    </div>
  );
}
