/**
 * Test helper run as its own process: opens the registry in a state file, waits until a shared start
 * time, tries one compare-and-set promotion and prints the outcome as JSON. Two of these started
 * together show that concurrent promotions across processes cannot both win.
 * Usage: node --import tsx promote-once.ts <db> <version> <expected|none> <startAtMs>
 */
import { isNsError } from '../../../core/errors.js';
import { openLocalRegistry } from '../local-registry.js';

const [dbPath, version, expected, startAt] = process.argv.slice(2);
const registry = openLocalRegistry(dbPath!);
const wait = Number(startAt) - Date.now();
if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
try {
  await registry.setAlias('champion', Number(version), expected === 'none' ? null : Number(expected), `promote ${version}`);
  process.stdout.write(JSON.stringify({ version: Number(version), ok: true }));
} catch (e) {
  process.stdout.write(JSON.stringify({ version: Number(version), ok: false, code: isNsError(e) ? e.code : String(e) }));
} finally {
  registry.close();
}
