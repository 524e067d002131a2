// Builds the browser app into dist/ui, which the server serves at "/".
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [preact()],
  build: { outDir: '../../dist/ui', emptyOutDir: true, chunkSizeWarningLimit: 600, sourcemap: false },
  server: { proxy: { '/api': 'http://127.0.0.1:8501', '/metrics': 'http://127.0.0.1:8501' } },
});
