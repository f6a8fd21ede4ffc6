/**
 * The middleware-throughput variants. Peers always run; a corsproof variant runs when its adapter
 * is in the build (see bench/servers/_adapters.mjs), and is listed as skipped otherwise.
 */
import { packageVersion } from '../lib/paths.js';

/** `reference`: a yardstick that is not a CORS implementation (the limit reading headers). */
export type Role = 'limit' | 'reference' | 'bare' | 'peer' | 'corsproof';

export interface Variant {
  readonly id: string;
  readonly framework: string;
  readonly role: Role;
  readonly label: string;
  /** bench/servers/<script> and the mode argument it is started with. */
  readonly script: string;
  readonly mode: string;
  /** For corsproof variants: the key in CORSPROOF_ADAPTERS. */
  readonly adapter?: string;
}

const v = (p: string) => packageVersion(p);

export const VARIANTS: readonly Variant[] = [
  {
    id: 'node-limit',
    framework: 'node:http',
    role: 'limit',
    label: 'limit: constant headers',
    script: 'node.mjs',
    mode: 'limit',
  },
  {
    id: 'node-limit-read',
    framework: 'node:http',
    role: 'reference',
    label: 'floor: limit + reads Origin, ACRM, ACRH',
    script: 'node.mjs',
    mode: 'limit-read',
  },
  {
    id: 'node-bare',
    framework: 'node:http',
    role: 'bare',
    label: 'no CORS',
    script: 'node.mjs',
    mode: 'bare',
  },
  {
    id: 'node-corsproof',
    framework: 'node:http',
    role: 'corsproof',
    label: 'corsproof withCors',
    script: 'node.mjs',
    mode: 'corsproof',
    adapter: 'node',
  },
  {
    id: 'express-bare',
    framework: `express ${v('express')}`,
    role: 'bare',
    label: 'no CORS',
    script: 'express.mjs',
    mode: 'bare',
  },
  {
    id: 'express-peer',
    framework: `express ${v('express')}`,
    role: 'peer',
    label: `cors ${v('cors')}`,
    script: 'express.mjs',
    mode: 'peer',
  },
  {
    id: 'express-corsproof',
    framework: `express ${v('express')}`,
    role: 'corsproof',
    label: 'corsproof express adapter',
    script: 'express.mjs',
    mode: 'corsproof',
    adapter: 'express',
  },
  {
    id: 'express-compat',
    framework: `express ${v('express')}`,
    role: 'corsproof',
    label: 'corsproof compat (cors drop-in)',
    script: 'express.mjs',
    mode: 'compat',
    adapter: 'compat',
  },
  {
    id: 'fastify-bare',
    framework: `fastify ${v('fastify')}`,
    role: 'bare',
    label: 'no CORS',
    script: 'fastify.mjs',
    mode: 'bare',
  },
  {
    id: 'fastify-peer',
    framework: `fastify ${v('fastify')}`,
    role: 'peer',
    label: `@fastify/cors ${v('@fastify/cors')}`,
    script: 'fastify.mjs',
    mode: 'peer',
  },
  {
    id: 'fastify-corsproof',
    framework: `fastify ${v('fastify')}`,
    role: 'corsproof',
    label: 'corsproof fastify adapter',
    script: 'fastify.mjs',
    mode: 'corsproof',
    adapter: 'fastify',
  },
  {
    id: 'koa-bare',
    framework: `koa ${v('koa')}`,
    role: 'bare',
    label: 'no CORS',
    script: 'koa.mjs',
    mode: 'bare',
  },
  {
    id: 'koa-peer',
    framework: `koa ${v('koa')}`,
    role: 'peer',
    label: `@koa/cors ${v('@koa/cors')}`,
    script: 'koa.mjs',
    mode: 'peer',
  },
  {
    id: 'koa-corsproof',
    framework: `koa ${v('koa')}`,
    role: 'corsproof',
    label: 'corsproof koa adapter',
    script: 'koa.mjs',
    mode: 'corsproof',
    adapter: 'koa',
  },
  {
    id: 'hono-bare',
    framework: `hono ${v('hono')}`,
    role: 'bare',
    label: 'no CORS',
    script: 'hono.mjs',
    mode: 'bare',
  },
  {
    id: 'hono-peer',
    framework: `hono ${v('hono')}`,
    role: 'peer',
    label: `hono/cors ${v('hono')}`,
    script: 'hono.mjs',
    mode: 'peer',
  },
  {
    id: 'hono-corsproof',
    framework: `hono ${v('hono')}`,
    role: 'corsproof',
    label: 'corsproof hono adapter',
    script: 'hono.mjs',
    mode: 'corsproof',
    adapter: 'hono',
  },
];
