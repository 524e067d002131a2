/**
 * `networksecurity sync push|pull <run-id|registry|models>`: mirrors a run folder (or the registry
 * index) between the local artifacts folder and the S3 artifact store, like the original project's
 * `aws s3 sync`. Objects whose sha256 already matches are skipped; every copy is checked.
 */
import { ExitCode, NsError } from '../../core/errors.js';
import { sha256 } from '../../core/hash.js';
import { localArtifactStore } from '../../main/compose.js';
import type { ArtifactStore } from '../../ports/index.js';
import type { CliCommand } from '../command.js';

async function mirror(from: ArtifactStore, to: ArtifactStore, prefix: string): Promise<{ copied: number; skipped: number }> {
  let copied = 0;
  let skipped = 0;
  const keys = await from.list(prefix);
  if (keys.length === 0) throw new NsError('SYNC_NOTHING', `Nothing under "${prefix}" in ${from.describe()}.`, { kind: 'not_found', hint: 'Check the run id with `networksecurity runs`.' });
  for (const key of keys) {
    const body = await from.get(key);
    const digest = sha256(body);
    if ((await to.exists(key)) && sha256(await to.get(key)) === digest) {
      skipped++;
      continue;
    }
    const put = await to.put(key, body);
    if (put.sha256 !== digest) throw new NsError('SYNC_CHECKSUM', `The copy of ${key} does not match its source.`, { kind: 'unavailable', hint: 'Run the sync again.' });
    copied++;
  }
  return { copied, skipped };
}

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'Mirror a run or the registry index between the local folder and S3',
  usage: 'sync push|pull <run-id|registry>',
  actions: [
    { name: 'push', usage: 'sync push <run-id|registry>', summary: 'Copy a run folder (or the registry index) from the local artifacts folder to S3' },
    { name: 'pull', usage: 'sync pull <run-id|registry>', summary: 'Copy a run folder (or the registry index) from S3 to the local artifacts folder' },
  ],
  flags: [],
  async run({ positionals, ctx, io }) {
    const [direction, what] = positionals;
    if ((direction !== 'push' && direction !== 'pull') || !what || !/^[\w.-]+$/.test(what)) {
      throw new NsError('BAD_ARGUMENT', 'Usage: networksecurity sync push|pull <run-id|registry>.', { hint: 'Find run ids with `networksecurity runs`.' });
    }
    const context = await ctx();
    if (!context.config.S3_BUCKET) throw new NsError('S3_NOT_CONFIGURED', 'No S3 artifact store is configured.', { kind: 'config', hint: 'Set S3_BUCKET (and S3_ENDPOINT, AWS credentials) first.' });
    const local = localArtifactStore(context.paths);
    const [from, to] = direction === 'push' ? [local, context.artifacts] : [context.artifacts, local];
    const r = await mirror(from, to, `${what}/`);
    io.out(`${direction} ${what}: ${r.copied} copied, ${r.skipped} already in sync (${from.describe()} → ${to.describe()})`);
    return ExitCode.ok;
  },
};
