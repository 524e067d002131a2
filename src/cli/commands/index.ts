/** Every CLI command, in the order `networksecurity --help` lists them. */
import type { CliCommand } from '../command.js';
import { checkCommand } from './check.js';
import { dataCommand } from './data.js';
import { etlCommand } from './etl.js';
import { modelsCommand } from './models.js';
import { predictCommand } from './predict.js';
import { runsCommand } from './runs.js';
import { serveCommand } from './serve.js';
import { syncCommand } from './sync.js';
import { trackingCommand } from './tracking.js';
import { trainCommand } from './train.js';
import { upCommand } from './up.js';
import { workerCommand } from './worker.js';
import { jobsCommand } from './jobs.js';

export const commands: CliCommand[] = [upCommand, etlCommand, trainCommand, checkCommand, predictCommand, serveCommand, runsCommand, modelsCommand, dataCommand, trackingCommand, syncCommand, workerCommand, jobsCommand];
