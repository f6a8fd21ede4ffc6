/**
 * The page of `corsproof serve`. Built into dist/web, which the service serves under a strict CSP
 * (`default-src 'self'`): so no inlined assets (data: URLs) and no inline scripts or styles.
 *
 *   npx vite build web   # or: npx vite build --config web/vite.config.ts
 *   npx vite web         # dev server; /api goes to a `corsproof serve --port 8080`
 */
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The generate and import views run the generators in the page, on the library's sources (as the
 * tests do), never on a build of it that may be stale.
 */
const LIB = fileURLToPath(new URL('../packages/corsproof/src/', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [preact()],
  resolve: {
    alias: [
      { find: /^corsproof$/, replacement: `${LIB}index.ts` },
      { find: /^corsproof\/spec$/, replacement: `${LIB}spec/index.ts` },
    ],
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    target: 'es2022',
    // The polyfill is for browsers without <link rel=modulepreload>; every target has it.
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
