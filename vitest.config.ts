import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The library's sources: tests run against them, never against a build that may be stale. */
const LIB = fileURLToPath(new URL('./packages/corsproof/src/', import.meta.url));
const ADAPTERS = ['node', 'express', 'fastify', 'koa', 'hono', 'fetch', 'compat'];

export default defineConfig({
  resolve: {
    alias: [
      { find: /^corsproof$/, replacement: `${LIB}index.ts` },
      { find: /^corsproof\/spec$/, replacement: `${LIB}spec/index.ts` },
      ...ADAPTERS.map((name) => ({
        find: new RegExp(`^corsproof/${name}$`),
        replacement: `${LIB}adapters/${name}/index.ts`,
      })),
    ],
  },
  test: {
    include: [
      'src/**/*.test.ts',
      'test/**/*.test.ts',
      'web/**/*.test.ts',
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    typecheck: {
      enabled: true,
      include: ['src/**/*.test-d.ts', 'packages/*/src/**/*.test-d.ts'],
    },
  },
});
