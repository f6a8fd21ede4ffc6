/**
 * The zoo on the real software: nginx and Flask-CORS configured the way users ship them, audited
 * like the hand-written endpoints. A missing server skips its tests locally and fails them under CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditReport, audit } from '../../src/audit/index.js';
import { createCheckDispatcher } from '../../src/check/index.js';
import type { RunningServer } from '../servers/standalone.js';
import { expectAsListed } from './expect-listed.js';
import { REAL_SERVERS } from './real-zoo.js';
import { TRUSTED } from './zoo.js';

const CI = (process.env.CI ?? '') !== '';

for (const real of REAL_SERVERS) {
  const installed = real.installed();
  if (!installed && CI) {
    it(`${real.name}: installed (required under CI)`, () => {
      expect.fail(`corsproof: the audit zoo needs ${real.needs}`);
    });
    continue;
  }
  describe.skipIf(!installed)(
    installed
      ? `the zoo on ${real.name}`
      : `the zoo on ${real.name} (needs ${real.needs}: skipped)`,
    () => {
      let server: RunningServer | undefined;
      const reports = new Map<string, AuditReport>();

      beforeAll(async () => {
        server = await real.start();
        const dispatcher = createCheckDispatcher({ connections: 8 });
        try {
          for (const e of real.entries) {
            reports.set(
              e.path,
              await audit({ url: `${server.url}${e.path}`, origin: TRUSTED, dispatcher }),
            );
          }
        } finally {
          await dispatcher.close();
        }
      }, 180_000);

      afterAll(async () => {
        await server?.stop();
      });

      for (const entry of real.entries) {
        it(`${entry.path}: ${entry.what} -> ${entry.expected.join(', ') || 'no findings'}`, () => {
          expectAsListed(entry, reports.get(entry.path));
        });
      }
    },
  );
}
