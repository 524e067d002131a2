/**
 * Every CLI command, in the order `networksecurity --help` lists them. Each is loaded only when it runs
 * (or for the full help), so one command does not pay for the others' modules at start-up (the web
 * server, ONNX export, URL feature parsing…).
 */
import type { CliCommand } from '../command.js';

export interface CommandEntry {
  name: string;
  load: () => Promise<CliCommand>;
}

export const commandEntries: readonly CommandEntry[] = [
  { name: 'up', load: async () => (await import('./up.js')).upCommand },
  { name: 'etl', load: async () => (await import('./etl.js')).etlCommand },
  { name: 'train', load: async () => (await import('./train.js')).trainCommand },
  { name: 'check', load: async () => (await import('./check.js')).checkCommand },
  { name: 'predict', load: async () => (await import('./predict.js')).predictCommand },
  { name: 'serve', load: async () => (await import('./serve.js')).serveCommand },
  { name: 'runs', load: async () => (await import('./runs.js')).runsCommand },
  { name: 'models', load: async () => (await import('./models.js')).modelsCommand },
  { name: 'data', load: async () => (await import('./data.js')).dataCommand },
  { name: 'tracking', load: async () => (await import('./tracking.js')).trackingCommand },
  { name: 'sync', load: async () => (await import('./sync.js')).syncCommand },
  { name: 'worker', load: async () => (await import('./worker.js')).workerCommand },
  { name: 'jobs', load: async () => (await import('./jobs.js')).jobsCommand },
];

/** Every command loaded (the full help lists their summaries). */
export function loadCommands(): Promise<CliCommand[]> {
  return Promise.all(commandEntries.map((e) => e.load()));
}
