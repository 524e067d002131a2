// Lint with type-aware rules, plus the layer rules of ARCHITECTURE.md: core/ml/data stay pure
// (no I/O, no config) and only src/main (and tests) may pick concrete adapters.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeIo = ['fs', 'fs/*', 'node:fs', 'node:fs/*', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https',
  'child_process', 'node:child_process', 'dgram', 'node:dgram', 'process', 'node:process'];
const layer = (name) => ({ group: [`**/${name}/*`, `**/${name}`, `../${name}/*`], message: `this layer may not import src/${name}` });

const restrict = (files, layers, extra = []) => ({
  files,
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-imports': ['error', { paths: extra.map((name) => ({ name, message: 'pure layer: no I/O here' })), patterns: layers.map(layer) }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', '.services/**', 'src/ui/dist/**', 'coverage/**', 'scripts/**/*.js', '**/*.py', 'artifacts/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['*.js'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  restrict(['src/core/**'], ['ml', 'data', 'pipeline', 'ports', 'adapters', 'server', 'ui', 'cli', 'main'], nodeIo),
  restrict(['src/ml/**'], ['data', 'pipeline', 'ports', 'adapters', 'server', 'ui', 'cli', 'main'], nodeIo),
  restrict(['src/data/**'], ['ml', 'pipeline', 'ports', 'adapters', 'server', 'ui', 'cli', 'main'], nodeIo),
  restrict(['src/ports/**'], ['ml', 'data', 'pipeline', 'adapters', 'server', 'ui', 'cli', 'main'], nodeIo),
  restrict(['src/pipeline/**'], ['adapters', 'server', 'ui', 'cli', 'main']),
  restrict(['src/adapters/**'], ['ml', 'data', 'pipeline', 'server', 'ui', 'cli', 'main']),
  restrict(['src/server/**'], ['adapters', 'ui', 'cli', 'main']),
  restrict(['src/ui/**'], ['core', 'ml', 'data', 'pipeline', 'ports', 'adapters', 'cli', 'main'], nodeIo),
  restrict(['src/cli/**'], ['adapters']),
);
