/**
 * Webhook deliveries in a fleet: an instance does not resume other instances' pending deliveries
 * at start-up; one overdue by more than a lease (its instance died) is taken over by exactly one
 * instance, the one whose claim in Redis succeeds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../../../test/service/helpers.js';
import { dropPrefix, fleetPrefix, REDIS_URL, redisOrSkip } from '../../../../test/support/redis.js';
import { createSafekeeping } from '../../redaction/safekeeping.js';
import type { CheckInput } from '../../routes/inputs.js';
import { createIdFactory } from '../../store/ids.js';
import { openSqliteStore } from '../../store/index.js';
import { systemClock } from '../clock.js';
import type { Tasks } from '../tasks.js';
import { createWebhookSender, type WebhookSend } from '../webhooks.js';
import { createFleetJobs } from './fleet.js';
import { openFleetRedis } from './redis.js';

const redisUp = (await redisOrSkip()) !== undefined;
const LEASE_MS = 5 * 60_000;

describe.skipIf(!redisUp)('webhook deliveries of a fleet', () => {
  const prefix = fleetPrefix('webhooks');
  afterAll(() => dropPrefix(prefix));

  it('are taken over once the lease passed, by one instance only', async () => {
    const store = openSqliteStore(':memory:');
    const clock = createFakeClock();
    await store.monitors.create({
      id: 'mon_1',
      createdAt: clock.now(),
      input: { url: 'https://api.example.com/', origin: 'https://app.example.com' } as CheckInput,
      sealedInput: null,
      notices: [],
      intervalSeconds: 60,
      nextRunAt: clock.now(),
    });
    await store.webhooks.set({
      monitorId: 'mon_1',
      url: 'https://hooks.example.com/in',
      format: 'json',
      sealedSecret: store.secrets.seal('shh'),
    });
    // Made by an instance that died before sending it.
    await store.webhooks.createDelivery({
      id: 'whd_1',
      monitorId: 'mon_1',
      createdAt: clock.now(),
      url: 'https://hooks.example.com/in',
      format: 'json',
      payload: '{}',
    });
    const sent: string[] = [];
    const send: WebhookSend = async (_url, headers) => {
      sent.push(headers['corsproof-delivery'] ?? '');
      return 204;
    };
    const unusedTasks = {} as Tasks;
    const instances = [0, 1].map(() => {
      const redis = openFleetRedis({ url: REDIS_URL, prefix });
      const jobs = createFleetJobs(
        { redis, work: false, reconcile: false, leaseMs: LEASE_MS },
        {
          store,
          tasks: unusedTasks,
          keeping: createSafekeeping(store.secrets, store.redactionKey),
          clock: systemClock,
        },
      );
      const sender = createWebhookSender({
        store,
        secrets: store.secrets,
        clock,
        newId: createIdFactory(() => clock.now()),
        send,
        takeOver: { afterMs: LEASE_MS, claim: (id) => jobs.claimDelivery(id) },
      });
      return { redis, jobs, sender };
    });
    try {
      for (const { sender } of instances) await sender.start();
      // Both look at start-up: the delivery is not overdue by a lease yet, so it is left alone.
      await clock.advance(0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sent).toEqual([]);
      // Past the lease, both look again (a few times per lease); one claims and sends it.
      for (let i = 0; i < 7; i++) {
        await clock.advance(LEASE_MS / 5);
        // The claims go to Redis on real time.
        await new Promise((resolve) => setTimeout(resolve, 50));
        await clock.advance(0);
      }
      expect(sent).toEqual(['whd_1']);
      expect((await store.webhooks.getDelivery('whd_1'))?.status).toBe('delivered');
    } finally {
      for (const { redis, jobs, sender } of instances) {
        sender.stop();
        await jobs.batches.stop();
        await jobs.close();
        await redis.close();
      }
      await store.close();
    }
  });
});
