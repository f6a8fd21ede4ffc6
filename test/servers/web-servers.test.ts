/**
 * The proof that a generated configuration does what the policy says: for every shared policy and
 * every web server target, the real server (nginx, Apache httpd, Caddy, HAProxy, as installed)
 * runs the standalone example, and `conform()` finds it answering each case as the policy does,
 * or differing only where the generator warned. A missing server skips its tests locally and fails
 * them under CI.
 */

import { parsePolicyFile } from 'corsproof';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conform } from '../../src/conform/index.js';
import type { Target } from '../../src/generate/target.js';
import { apache } from '../../src/generate/targets/apache.js';
import { caddy } from '../../src/generate/targets/caddy.js';
import { haproxy } from '../../src/generate/targets/haproxy.js';
import { nginx } from '../../src/generate/targets/nginx.js';
import { policies } from './policies.js';
import { hasBinary, type RunningServer, startStandalone } from './standalone.js';

const SERVERS: readonly { target: Target; binary: string }[] = [
  { target: nginx, binary: 'nginx' },
  { target: apache, binary: 'apache2' },
  { target: caddy, binary: 'caddy' },
  { target: haproxy, binary: 'haproxy' },
];

/**
 * Warnings that can show up as differences: the server refuses what the engine would allow
 * (`conform` probes ordinary origins and paths, so in practice these never appear).
 */
const STRICTER_WARNINGS = new Set(['escaped-paths-refused', 'punycode-subdomains-refused']);

for (const { target, binary } of SERVERS) {
  const present = hasBinary(binary);
  if (!present && process.env.CI !== undefined) {
    it(`${target.name}: the ${binary} binary is installed (required under CI)`, () => {
      expect.fail(
        `corsproof: ${binary} is not on the PATH; install it to run the ${target.name} tests`,
      );
    });
    continue;
  }
  describe.skipIf(!present)(
    present ? target.name : `${target.name} (${binary} not installed: skipped)`,
    () => {
      describe('the standalone example', () => {
        let server: RunningServer;
        beforeAll(async () => {
          server = await startStandalone(
            target,
            parsePolicyFile({ origins: ['https://a.example'] }),
          );
        });
        afterAll(async () => {
          await server?.stop();
        });

        it('answers every method on every path with 200 and a short body', async () => {
          for (const path of ['/', '/any/path', '/x.json?q=1']) {
            for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']) {
              const response = await fetch(`${server.url}${path}`, {
                method,
                ...(method === 'GET' || method === 'HEAD' ? {} : { body: 'x' }),
              });
              const body = await response.text();
              expect([method, path, response.status]).toEqual([method, path, 200]);
              if (method === 'HEAD') expect(body).toBe('');
              else expect(body).toMatch(/^corsproof example \(\w+\): ok\n?$/);
            }
          }
        });
      });

      for (const { name, file: document } of policies) {
        describe(name, () => {
          const file = parsePolicyFile(document);
          let server: RunningServer;
          beforeAll(async () => {
            server = await startStandalone(target, file);
          });
          afterAll(async () => {
            await server?.stop();
          });

          it('conforms to the policy, or differs only where the generator warned', async () => {
            const { warnings } = target.generate(file);
            const report = await conform({ url: server.url, file, concurrency: 4 });
            const unexplained = report.differences.filter(
              (d) =>
                d.kind !== 'refused-but-policy-allows' ||
                !warnings.some((w) => STRICTER_WARNINGS.has(w.code)),
            );
            expect(
              unexplained.map((d) => `${d.kind}: ${d.message}\n  ${d.curl.join('\n  ')}`),
            ).toEqual([]);
            expect(report.cases.length).toBeGreaterThan(0);
          });
        });
      }
    },
  );
}
