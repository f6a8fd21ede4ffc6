/**
 * The express, fastify, koa, hono and workers standalone examples, each run from its own directory
 * as `corsproof generate --standalone` writes it, must conform to every policy file of the shared
 * table, case for case. Their `run` finds the frameworks and corsproof itself through
 * `CORSPROOF_NODE_MODULES`, this checkout's node_modules.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePolicyFile } from 'corsproof';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conform } from '../../src/conform/index.js';
import { corsPackage } from '../../src/generate/targets/cors.js';
import { express } from '../../src/generate/targets/express.js';
import { fastify } from '../../src/generate/targets/fastify.js';
import { hono } from '../../src/generate/targets/hono.js';
import { koa } from '../../src/generate/targets/koa.js';
import { workers } from '../../src/generate/targets/workers.js';
import { policies } from './policies.js';
import { startStandalone } from './standalone.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The examples import `corsproof/<adapter>` by name: in this checkout, node_modules/corsproof is
 * the workspace link to packages/corsproof, whose dist/ `npm test` builds first.
 */
beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'packages/corsproof/dist/adapters/fetch/index.js'))) {
    throw new Error(
      'corsproof: the examples import the corsproof package from packages/corsproof/dist; run `npm run build` first',
    );
  }
  process.env.CORSPROOF_NODE_MODULES = path.join(ROOT, 'node_modules');
});
afterAll(() => {
  delete process.env.CORSPROOF_NODE_MODULES;
});

describe.each([express, fastify, koa, hono, workers])('the $name standalone example', (target) => {
  it.each(policies)(
    'conforms to the $name policy file in every case',
    async ({ file: document }) => {
      const file = parsePolicyFile(document);
      expect(target.generate(file).warnings).toEqual([]);
      const server = await startStandalone(target, file);
      try {
        const report = await conform({ url: `${server.url}/`, file });
        expect(report.cases.length).toBeGreaterThanOrEqual(5);
        expect(report.differences.map((d) => `${d.kind}: ${d.case.id}: ${d.message}`)).toEqual([]);
        expect(report.conforms).toBe(true);
      } finally {
        await server.stop();
      }
    },
    30_000,
  );
});

/**
 * The differences of a cors server a warning accounts for: the only one conform can observe is the
 * missing Private Network Access answer; every other warning names a difference browsers ignore.
 */
function explained(kind: string, probe: string, codes: ReadonlySet<string>): boolean {
  return (
    kind === 'refused-but-policy-allows' &&
    probe === 'private-network' &&
    codes.has('private-network-unsupported')
  );
}

describe('the cors standalone example', () => {
  it.each(policies)(
    'differs from the $name policy file only where a warning says, and never looser',
    async ({ file: document }) => {
      const file = parsePolicyFile(document);
      const codes = new Set(corsPackage.generate(file).warnings.map((w) => w.code));
      const server = await startStandalone(corsPackage, file);
      try {
        const report = await conform({ url: `${server.url}/`, file });
        expect(report.cases.length).toBeGreaterThanOrEqual(5);
        const unexplained = report.differences.filter(
          (d) => !explained(d.kind, d.case.probe, codes),
        );
        expect(unexplained.map((d) => `${d.kind}: ${d.case.id}: ${d.message}`)).toEqual([]);
        const privateNetwork = report.differences.some((d) => d.case.probe === 'private-network');
        expect(privateNetwork).toBe(codes.has('private-network-unsupported'));
      } finally {
        await server.stop();
      }
    },
    30_000,
  );
});
