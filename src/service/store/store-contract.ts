/**
 * The suite every `Store` implementation must pass. It speaks only through the `Store` interface,
 * so an implementation runs it by handing over a factory: `store.test.ts` runs it for SQLite.
 *
 * @example
 * ```ts
 * describeStoreContract('SQLite', async () => openSqliteStore(':memory:'));
 * ```
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../check/index.js';
import type { CheckInput } from '../routes/inputs.js';
import type { AuditRecord } from './audits.js';
import type { CheckRecord } from './checks.js';
import type { HeaderSnapshot, RunOutcome } from './monitors.js';
import type { Store } from './store.js';

/** A check input for stored records; the store never reads its fields. */
export const SAMPLE_INPUT: CheckInput = {
  url: 'https://x.example/',
  origin: 'https://a.example',
  method: 'GET',
  headers: [],
  body: null,
  browser: 'chromium',
  preflightOnly: false,
  emulate: null,
  allowUnsafeMethods: false,
};
const input = SAMPLE_INPUT;

const NO_HEADERS: HeaderSnapshot = { preflight: {}, response: {} };

/**
 * Declares the contract's cases for one implementation.
 *
 * @param name - shown in the suite's title (`the SQLite store`).
 * @param open - an empty store, opened anew for every case; the suite closes it after the case.
 * @param cleanup - run after each case, once the store is closed (drop a schema, remove a file).
 */
export function describeStoreContract(
  name: string,
  open: () => Promise<Store>,
  cleanup?: () => Promise<void>,
): void {
  describe(`the ${name} store`, () => {
    let current: Store | undefined;

    afterEach(async () => {
      await current?.close();
      current = undefined;
      await cleanup?.();
    });

    /** A store that the suite closes after the case. */
    async function fresh(): Promise<Store> {
      current = await open();
      return current;
    }

    /** The store keeps results as JSON and reads nothing of them but the verdict. */
    function checkRecord(
      id: string,
      verdict: CheckResult['verdict'],
      url = input.url,
    ): CheckRecord {
      return {
        id,
        createdAt: Number(id.slice(4)),
        input: { ...input, url },
        notices: [{ code: 'PREFLIGHT_ONLY_UNSAFE_METHOD', message: 'only the preflight was sent' }],
        result: { verdict } as CheckResult,
      };
    }

    it('answers ping, and opens what its secrets sealed', async () => {
      const s = await fresh();
      expect(await s.ping()).toBe(true);
      expect(s.secrets.open(s.secrets.seal('Bearer x'))).toBe('Bearer x');
      expect(s.redactionKey.length).toBeGreaterThan(0);
    });

    it('gives back a check as it was stored, and nothing for an unknown id', async () => {
      const s = await fresh();
      const record = checkRecord('chk_1', 'allowed');
      await s.checks.insert(record);
      expect(await s.checks.get('chk_1')).toEqual(record);
      expect(await s.checks.get('chk_2')).toBeUndefined();
    });

    it('lists the history newest first, filtered and paged by the last id seen', async () => {
      const s = await fresh();
      await s.checks.insert(checkRecord('chk_1', 'allowed'));
      await s.checks.insert(checkRecord('chk_2', 'blocked', 'https://y.example/'));
      await s.checks.insert(checkRecord('chk_3', 'blocked'));
      const ids = async (filter: Parameters<Store['checks']['list']>[0]) =>
        (await s.checks.list(filter)).map((c) => c.id);
      expect(await ids({ limit: 10 })).toEqual(['chk_3', 'chk_2', 'chk_1']);
      expect(await ids({ limit: 10, verdict: 'blocked' })).toEqual(['chk_3', 'chk_2']);
      expect(await s.checks.list({ limit: 10, url: 'https://y.example/' })).toEqual([
        {
          id: 'chk_2',
          createdAt: 2,
          url: 'https://y.example/',
          origin: input.origin,
          method: 'GET',
          verdict: 'blocked',
        },
      ]);
      expect(await ids({ limit: 1, before: 'chk_3' })).toEqual(['chk_2']);
    });

    it('gives back an audit as it was stored', async () => {
      const s = await fresh();
      const record: AuditRecord = {
        id: 'aud_1',
        createdAt: 1,
        input: {
          url: input.url,
          origin: input.origin,
          method: 'GET',
          headers: [],
          credentials: false,
          browser: 'chromium',
          allowUnsafeMethods: false,
        },
        notices: [],
        outcome: 'passed',
        result: { findings: [] } as unknown as AuditRecord['result'],
      };
      await s.audits.insert(record);
      expect(await s.audits.get('aud_1')).toEqual(record);
      expect(await s.audits.get('aud_2')).toBeUndefined();
      expect((await s.audits.list({ limit: 10 })).map((a) => a.id)).toEqual(['aud_1']);
    });

    describe('batch targets', () => {
      async function seed(n: number): Promise<Store> {
        const s = await fresh();
        await s.batches.create({
          id: 'bat_1',
          createdAt: 1,
          kind: 'check',
          targets: Array.from({ length: n }, () => ({ input, sealedInput: null, notices: [] })),
        });
        return s;
      }

      it('are claimed in order, and a result can only be committed once', async () => {
        const s = await seed(2);
        const a = await s.batches.claimNext('bat_1');
        expect(a).toMatchObject({ batchId: 'bat_1', kind: 'check', position: 0, input });
        expect((await s.batches.get('bat_1'))?.status).toBe('running');
        const done = await s.batches.complete('bat_1', 0, 'passed', { verdict: 'allowed' }, 5);
        expect(done?.target.seq).toBe(1);
        expect(done?.progress).toEqual({ done: 1, total: 2, passed: 1, failed: 0, errors: 0 });
        expect(await s.batches.complete('bat_1', 0, 'failed', {}, 6)).toBeUndefined();
        // Not running (still pending): refused as well.
        expect(await s.batches.complete('bat_1', 1, 'failed', {}, 6)).toBeUndefined();
        await s.batches.claimNext('bat_1');
        const last = await s.batches.complete('bat_1', 1, 'error', {}, 7);
        expect(last).toMatchObject({ status: 'done', target: { seq: 2 } });
        expect(await s.batches.get('bat_1')).toMatchObject({ status: 'done', finishedAt: 7 });
        expect(await s.batches.claimNext('bat_1')).toBeUndefined();
      });

      it('reset from running to pending at start-up, done ones untouched', async () => {
        const s = await seed(3);
        await s.batches.claimNext('bat_1');
        await s.batches.complete('bat_1', 0, 'passed', {}, 2);
        await s.batches.claimNext('bat_1');
        expect(await s.batches.resetRunning()).toBe(1);
        expect(await s.batches.unfinished()).toEqual(['bat_1']);
        expect((await s.batches.claimNext('bat_1'))?.position).toBe(1);
        expect((await s.batches.resultsAfter('bat_1', 0)).map((t) => t.position)).toEqual([0]);
      });

      it('are claimed by position from pending or running, never once done', async () => {
        const s = await seed(3);
        const second = await s.batches.claimTarget('bat_1', 1);
        expect(second).toMatchObject({ batchId: 'bat_1', kind: 'check', position: 1, input });
        expect((await s.batches.get('bat_1'))?.status).toBe('running');
        // A retried job finds its target still running, and takes it again.
        expect((await s.batches.claimTarget('bat_1', 1))?.position).toBe(1);
        expect(await s.batches.complete('bat_1', 1, 'passed', {}, 3)).toMatchObject({
          target: { position: 1, seq: 1 },
        });
        expect(await s.batches.claimTarget('bat_1', 1)).toBeUndefined();
        expect(await s.batches.claimTarget('bat_1', 3)).toBeUndefined();
        expect(await s.batches.claimTarget('bat_2', 0)).toBeUndefined();
        // The others are left as they were: claimNext takes the first still pending.
        expect((await s.batches.claimNext('bat_1'))?.position).toBe(0);
        const states = (await s.batches.listTargets('bat_1', { limit: 10 })).map((t) => t.state);
        expect(states).toEqual(['running', 'done', 'pending']);
      });

      it('keep the sealed input until done, and list by state and page', async () => {
        const s = await fresh();
        await s.batches.create({
          id: 'bat_1',
          createdAt: 1,
          kind: 'audit',
          targets: [
            { input, sealedInput: 'sealed-0', notices: [] },
            { input, sealedInput: null, notices: [] },
          ],
        });
        expect((await s.batches.claimTarget('bat_1', 0))?.sealedInput).toBe('sealed-0');
        await s.batches.complete('bat_1', 0, 'failed', { x: 1 }, 4);
        const pending = await s.batches.listTargets('bat_1', { state: 'pending', limit: 10 });
        expect(pending.map((t) => t.position)).toEqual([1]);
        const page = await s.batches.listTargets('bat_1', { after: 0, limit: 10 });
        expect(page.map((t) => t.position)).toEqual([1]);
        const failed = await s.batches.listTargets('bat_1', { outcome: 'failed', limit: 10 });
        expect(failed).toMatchObject([{ position: 0, state: 'done', seq: 1, result: { x: 1 } }]);
        expect(await s.batches.list({ kind: 'audit', limit: 10 })).toMatchObject([
          { id: 'bat_1', kind: 'audit', status: 'running' },
        ]);
        expect(await s.batches.list({ kind: 'check', limit: 10 })).toEqual([]);
      });
    });

    describe('monitors', () => {
      async function seed(s: Store, id: string, nextRunAt: number): Promise<void> {
        await s.monitors.create({
          id,
          createdAt: 1,
          input,
          sealedInput: null,
          notices: [],
          intervalSeconds: 60,
          nextRunAt,
        });
      }

      function run(ranAt: number): RunOutcome {
        return {
          ranAt,
          outcome: 'passed',
          verdict: 'allowed',
          headers: NO_HEADERS,
          nextRunAt: ranAt + 60_000,
        };
      }

      it('are claimed when due, most overdue first, once until finished', async () => {
        const s = await fresh();
        await seed(s, 'mon_1', 200);
        await seed(s, 'mon_2', 100);
        await seed(s, 'mon_3', 5_000);
        expect(await s.monitors.nextDueAt()).toBe(100);
        const due = await s.monitors.claimDue(1_000, 10);
        expect(due.map((m) => m.id)).toEqual(['mon_2', 'mon_1']);
        expect(await s.monitors.claimDue(1_000, 10)).toEqual([]);
        expect(await s.monitors.nextDueAt()).toBe(5_000);
        expect(await s.monitors.finishRun('mon_2', run(1_000))).toBe(true);
        expect(await s.monitors.get('mon_2')).toMatchObject({
          lastRunAt: 1_000,
          lastOutcome: 'passed',
          nextRunAt: 61_000,
        });
        expect(await s.monitors.runs('mon_2', 10)).toEqual([
          { at: 1_000, outcome: 'passed', verdict: 'allowed' },
        ]);
        await s.monitors.release('mon_1', 2_000);
        expect((await s.monitors.claimDue(2_000, 10)).map((m) => m.id)).toEqual(['mon_1']);
        expect(await s.monitors.delete('mon_1')).toBe(true);
        expect(await s.monitors.finishRun('mon_1', run(2_000))).toBe(false);
        expect(await s.monitors.count()).toBe(2);
      });

      it('clear every running mark, or only those set before a cut-off', async () => {
        const s = await fresh();
        await seed(s, 'mon_1', 0);
        await seed(s, 'mon_2', 0);
        await seed(s, 'mon_3', 0);
        await s.monitors.claimDue(1_000, 1);
        await s.monitors.claimDue(2_000, 1);
        await s.monitors.claimDue(3_000, 1);
        expect(await s.monitors.nextDueAt()).toBeUndefined();
        // Marks set at 1000 and 2000 are older than 2500; the one set at 3000 is not.
        expect(await s.monitors.resetRunning(2_500)).toBe(2);
        expect((await s.monitors.claimDue(3_000, 10)).length).toBe(2);
        expect(await s.monitors.resetRunning(1_000)).toBe(0);
        expect(await s.monitors.resetRunning()).toBe(3);
        expect(await s.monitors.resetRunning()).toBe(0);
        expect((await s.monitors.claimDue(4_000, 10)).length).toBe(3);
      });

      it('keep transitions, and pause out of the schedule', async () => {
        const s = await fresh();
        await seed(s, 'mon_1', 0);
        await s.monitors.claimDue(10, 10);
        const transition = { at: 10, from: null, to: 'failed' as const, changes: [], result: {} };
        await s.monitors.finishRun('mon_1', { ...run(10), outcome: 'failed', transition });
        expect(await s.monitors.transitions('mon_1', 10)).toEqual([transition]);
        expect(await s.monitors.setPaused('mon_1', 20)).toBe(true);
        expect(await s.monitors.claimDue(1e9, 10)).toEqual([]);
        expect((await s.monitors.list({ status: 'paused', limit: 10 })).map((m) => m.id)).toEqual([
          'mon_1',
        ]);
        expect(await s.monitors.setPaused('mon_1', null, 30)).toBe(true);
        expect(await s.monitors.update('mon_1', { intervalSeconds: 120 })).toBe(true);
        expect(await s.monitors.get('mon_1')).toMatchObject({
          pausedAt: null,
          nextRunAt: 30,
          intervalSeconds: 120,
        });
        expect(await s.monitors.update('mon_9', { intervalSeconds: 120 })).toBe(false);
      });
    });

    it('keeps tokens by hash, revokes once, and counts the active ones', async () => {
      const s = await fresh();
      const hash = Buffer.alloc(32, 7);
      await s.tokens.insert({
        id: 'tok_1',
        createdAt: 1,
        name: 'ci',
        scope: 'run',
        hash,
        createdBy: null,
      });
      expect(await s.tokens.get('tok_1')).toEqual({
        id: 'tok_1',
        createdAt: 1,
        name: 'ci',
        scope: 'run',
        hash,
        createdBy: null,
        revokedAt: null,
        lastUsedAt: null,
      });
      await s.tokens.touch('tok_1', 100_000);
      await s.tokens.touch('tok_1', 110_000);
      expect((await s.tokens.get('tok_1'))?.lastUsedAt).toBe(100_000);
      expect(await s.tokens.countActive()).toBe(1);
      expect(await s.tokens.revoke('tok_1', 5)).toBe(true);
      expect(await s.tokens.revoke('tok_1', 6)).toBe(false);
      expect(await s.tokens.countActive()).toBe(0);
      expect((await s.tokens.list()).map((t) => t.revokedAt)).toEqual([5]);
    });

    it('keeps webhooks, their deliveries and every attempt', async () => {
      const s = await fresh();
      await s.monitors.create({
        id: 'mon_1',
        createdAt: 1,
        input,
        sealedInput: null,
        notices: [],
        intervalSeconds: 60,
        nextRunAt: 0,
      });
      const config = { monitorId: 'mon_1', url: 'https://h.example/', format: 'json' as const };
      await s.webhooks.set({ ...config, sealedSecret: 's1' });
      await s.webhooks.set({ ...config, sealedSecret: 's2' });
      expect(await s.webhooks.get('mon_1')).toEqual({ ...config, sealedSecret: 's2' });
      await s.webhooks.createDelivery({ id: 'whd_1', createdAt: 5, payload: '{}', ...config });
      expect(await s.webhooks.pending()).toMatchObject([{ id: 'whd_1', nextAttemptAt: 5 }]);
      const attempt = { attempt: 1, at: 6, statusCode: 500, error: null };
      await s.webhooks.recordAttempt('whd_1', attempt, 'failed', null);
      expect(await s.webhooks.getDelivery('whd_1')).toMatchObject({
        status: 'failed',
        attempts: 1,
      });
      expect(await s.webhooks.attempts('whd_1')).toEqual([attempt]);
      expect((await s.webhooks.deliveries('mon_1', 10)).map((d) => d.id)).toEqual(['whd_1']);
      expect(await s.webhooks.pending()).toEqual([]);
      expect(await s.webhooks.remove('mon_1')).toBe(true);
      expect(await s.webhooks.remove('mon_1')).toBe(false);
    });

    it('logs who changed what, newest first, by actor', async () => {
      const s = await fresh();
      const entry = {
        at: 1,
        actor: 'ci',
        tokenId: null,
        action: 'createMonitor',
        resource: 'monitors',
        resourceId: 'mon_1',
        status: 201,
      };
      await s.auditLog.insert({ id: 'log_1', ...entry });
      await s.auditLog.insert({ id: 'log_2', ...entry, actor: 'ops' });
      expect((await s.auditLog.list({ limit: 10 })).map((e) => e.id)).toEqual(['log_2', 'log_1']);
      expect(await s.auditLog.list({ actor: 'ci', limit: 10 })).toEqual([
        { id: 'log_1', ...entry },
      ]);
    });
  });
}
