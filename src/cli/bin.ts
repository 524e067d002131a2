#!/usr/bin/env node
/** The `networksecurity` executable: runs the CLI with this process's arguments and exits with its code. */
import { ExitCode } from '../core/errors.js';
import { main } from './main.js';

main(process.argv.slice(2), {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  isTty: Boolean(process.stderr.isTTY),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`INTERNAL: ${String(e)}\n`);
    process.exitCode = ExitCode.internal;
  },
);
