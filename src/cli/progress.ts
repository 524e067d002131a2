/**
 * Renders pipeline progress events on a terminal (stderr): one line per stage start and end, and
 * progress messages of long stages.
 */
import type { ProgressEvent } from '../core/logger.js';
import type { CommandIo } from './command.js';

export function progressPrinter(io: CommandIo): (e: ProgressEvent) => void {
  const started = new Map<string, number>();
  return (e) => {
    const stage = e.stage ?? '';
    switch (e.type) {
      case 'stage_started':
        started.set(stage, Date.now());
        io.err(`▶ ${stage}`);
        break;
      case 'stage_progress':
        if (e.message) io.err(`  ${stage}: ${e.message}${e.fraction !== undefined ? ` [${Math.round(e.fraction * 100)}%]` : ''}`);
        break;
      case 'stage_finished':
        io.err(`✔ ${stage} (${((Date.now() - (started.get(stage) ?? Date.now())) / 1000).toFixed(1)} s)`);
        break;
      case 'stage_skipped':
        io.err(`↷ ${stage} (completed earlier)`);
        break;
      case 'stage_failed':
        io.err(`✘ ${stage}: ${e.message ?? ''}`);
        break;
      case 'message':
        io.err(e.message ?? '');
        break;
      default:
        break;
    }
  };
}
