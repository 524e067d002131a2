/** Files shipped with the package (bundled data, schema, built UI), found from this module's location. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const packageRoot = findRoot();
export const bundledDataPath = resolve(packageRoot, 'data/phisingData.csv');
export const bundledSchemaPath = resolve(packageRoot, 'config/schema.yaml');
export const uiDir = resolve(packageRoot, 'dist/ui');
/** The `version` of the package.json shipped with this code. */
export const packageVersion = (JSON.parse(readFileSync(resolve(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
