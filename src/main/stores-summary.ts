/**
 * What a command says at start about where things live: the state folder (and whether it exists) and
 * the store behind each port. Credentials in URLs are masked; nothing else from the configuration is
 * shown.
 */
import { redactUrlCredentials } from '../core/redact.js';
import type { AppContext } from './context.js';
import type { EnvFileRead } from './env-file.js';

/** One line naming the state folder, how it was chosen, and whether it exists yet. */
export function stateLine(home: string, fromEnv: boolean, exists: boolean): string {
  const how = fromEnv ? 'NS_HOME' : 'default; NS_HOME moves it';
  return `state: ${home} (${how})${exists ? '' : ' — does not exist yet'}`;
}

function tracking(ctx: AppContext): string {
  if (ctx.config.NS_TRACKING === 'off') return 'off';
  if (ctx.config.MLFLOW_TRACKING_URI) return `MLflow ${ctx.config.MLFLOW_TRACKING_URI} (local copy in state.db)`;
  return 'local (state.db)';
}

/** One line naming the record store, artifact store, tracking and queue in use (and the shared state, when set). */
export function storesLine(ctx: AppContext): string {
  const state = ctx.config.NS_STATE_URL ? `; runs and registry ${ctx.registry.describe()}` : '';
  return redactUrlCredentials(`stores: records ${ctx.records.describe()}; artifacts ${ctx.artifacts.describe()}; tracking ${tracking(ctx)}; queue ${ctx.queue.describe()}${state}`);
}

/** One line naming the `.env` file read and the variables taken from it (names only). */
export function envFileLine(read: EnvFileRead): string {
  const taken = read.taken.length ? read.taken.join(', ') : 'no variables';
  const kept = read.overridden.length ? `; the environment's ${read.overridden.join(', ')} kept` : '';
  return `.env: ${taken} from ${read.path}${kept}`;
}
