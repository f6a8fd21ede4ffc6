/**
 * Finding corsproof's framework adapters in the build. The bench runs a corsproof variant for a
 * framework as soon as one of its modules exists, so an adapter written later needs no change here
 * unless it lands under a new path or exports its factory under a new name: then add it below.
 */
import { existsSync } from 'node:fs';
import { distDir, importDist } from './_boot.mjs';

/** Per adapter: where it may be built (relative to dist/) and the export names to try, in order. */
export const CORSPROOF_ADAPTERS = Object.freeze({
  node: { modules: ['adapters/node/index.js'], exports: ['withCors'] },
  express: {
    modules: ['adapters/express/index.js'],
    exports: ['cors', 'corsproof', 'expressCors', 'createCors', 'corsMiddleware', 'default'],
  },
  compat: { modules: ['adapters/compat/index.js'], exports: ['default', 'cors', 'corsCompat'] },
  fastify: {
    modules: ['adapters/fastify/index.js'],
    exports: ['default', 'fastifyCors', 'corsproof', 'cors', 'plugin'],
  },
  koa: {
    modules: ['adapters/koa/index.js'],
    exports: ['cors', 'koaCors', 'corsproof', 'corsMiddleware', 'default'],
  },
  hono: {
    modules: ['adapters/hono/index.js', 'adapters/fetch/hono.js'],
    exports: ['cors', 'honoCors', 'corsproof', 'corsMiddleware', 'default'],
  },
});

/** Helpers the adapters export beside their factory; never mistaken for it. */
const HELPERS = new Set([
  'applyCors',
  'corsRequestFromNode',
  'endPreflight',
  'setDecisionHeaders',
  'toPolicy',
]);

/** The first candidate module that exists in the build, or undefined. */
export function findAdapterModule(key) {
  const adapter = CORSPROOF_ADAPTERS[key];
  return adapter?.modules.find((m) => existsSync(`${distDir.replace(/\/$/, '')}/${m}`));
}

/** Imports adapter `key` and returns its factory (or plugin) and the module it came from. */
export async function loadAdapter(key) {
  const path = findAdapterModule(key);
  if (path === undefined) throw new Error(`corsproof ${key} adapter not built`);
  const mod = await importDist(path);
  for (const name of CORSPROOF_ADAPTERS[key].exports) {
    if (typeof mod[name] === 'function') return { factory: mod[name], path, name };
  }
  const guess = Object.entries(mod).find(
    ([name, value]) => typeof value === 'function' && /cors/i.test(name) && !HELPERS.has(name),
  );
  if (guess) return { factory: guess[1], path, name: guess[0] };
  throw new Error(
    `dist/${path} exports none of ${CORSPROOF_ADAPTERS[key].exports.join(', ')} (it has: ${Object.keys(mod).join(', ')}); add its name in bench/servers/_adapters.mjs`,
  );
}

/**
 * Whether `fn` is a Fastify plugin to register directly (fastify-plugin marks them; a plain plugin
 * takes `(instance, opts[, done])`), rather than a factory to call with options first.
 */
export function isFastifyPlugin(fn) {
  return fn[Symbol.for('skip-override')] === true || fn.length >= 2;
}
