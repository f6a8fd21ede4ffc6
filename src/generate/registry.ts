/**
 * The targets `corsproof generate --for` knows, and generating for one of them.
 */
import type { PolicyFile } from 'corsproof';
import type { GenerateResult, Target, TargetName } from './target.js';
import { apache } from './targets/apache.js';
import { aspnetcore } from './targets/aspnetcore.js';
import { caddy } from './targets/caddy.js';
import { corsPackage } from './targets/cors.js';
import { django } from './targets/django.js';
import { express } from './targets/express.js';
import { fastapi } from './targets/fastapi.js';
import { fastify } from './targets/fastify.js';
import { flask } from './targets/flask.js';
import { haproxy } from './targets/haproxy.js';
import { hono } from './targets/hono.js';
import { koa } from './targets/koa.js';
import { nginx } from './targets/nginx.js';
import { s3 } from './targets/s3.js';
import { spring } from './targets/spring.js';
import { workers } from './targets/workers.js';

/** Every target `corsproof generate --for` knows, in the order `--help` lists them. */
export const TARGETS: ReadonlyMap<string, Target> = new Map(
  [
    nginx,
    apache,
    caddy,
    haproxy,
    flask,
    django,
    fastapi,
    express,
    fastify,
    koa,
    hono,
    workers,
    corsPackage,
    aspnetcore,
    spring,
    s3,
  ].map((t) => [t.name, t] as const),
);

/** The target called `name`, or undefined. */
export function findTarget(name: string): Target | undefined {
  return TARGETS.get(name);
}

/** One line per target, `name  summary`, for `--help`. */
export function describeTargets(): string {
  const width = Math.max(...[...TARGETS.keys()].map((n) => n.length));
  return [...TARGETS.values()].map((t) => `  ${t.name.padEnd(width)}  ${t.summary}`).join('\n');
}

/**
 * Generates the configuration of `target` for a validated policy file. Throws `GenerateError`
 * when the policy cannot be written for that server without loosening it.
 *
 * @example
 * const file = parsePolicyFile({ origins: ['https://app.example.com'], credentials: true });
 * const { config, warnings } = generate(file, 'nginx');
 */
export function generate(file: PolicyFile, target: TargetName | Target): GenerateResult {
  const chosen = typeof target === 'string' ? TARGETS.get(target) : target;
  if (chosen === undefined) {
    throw new TypeError(
      `corsproof: no generator for ${JSON.stringify(target)}; use one of ${[...TARGETS.keys()].join(', ')}`,
    );
  }
  return chosen.generate(file);
}
