/**
 * Monitor schedulers sharing one store, as the instances of a fleet do: each run happens once
 * across them, and a run left marked by an instance that died is taken over after the lease, not
 * at another instance's start-up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock, fakeCheckResult } from '../../../test/service/helpers.js';
import { createSafekeeping } from '../redaction/safekeeping.js';
import type { CheckInput } from '../routes/inputs.js';
import { openSqliteStore, type SqliteStore } from '../store/index.js';
import { createMonitorScheduler, type MonitorScheduler } from './monitor-scheduler.js';
import { checkOutcome } from './outcomes.js';
import type { Tasks } from './tasks.js';

const LEASE_MS = 5 * 60_000;
const INPUT: CheckInput = {
  url: 'https://api.example.com/items',
  origin: 'https://app.example.com',
  method: 'GET',
  headers: [],
} as unknown as CheckInput;

let store: SqliteStore;
const schedulers: MonitorScheduler[] = [];

afterEach(async () => {
  for (const scheduler of schedulers.splice(0)) await scheduler.stop();
  await store.close();
});

/** One instance's scheduler; `runs` counts the checks it ran. */
function instance(clock: FakeClock, leaseMs: number | undefined, runs: { count: number }) {
  const tasks: Tasks = {
    async check(input) {
      runs.count += 1;
      const result = fakeCheckResult(input);
      return { outcome: checkOutcome(result), result };
    },
    async audit() {
      throw new Error('no audits here');
    },
  };
  const scheduler = createMonitorScheduler({
    store,
    tasks,
    keeping: createSafekeeping(store.secrets, store.redactionKey),
    clock,
    ...(leaseMs === undefined ? {} : { leaseMs }),
  });
  schedulers.push(scheduler);
  return scheduler;
}

async function monitor(clock: FakeClock, intervalSeconds: number): Promise<void> {
  await store.monitors.create({
    id: 'mon_1',
    createdAt: clock.now(),
    input: INPUT,
    sealedInput: null,
    notices: [],
    intervalSeconds,
    nextRunAt: clock.now(),
  });
}

describe('monitor schedulers of a fleet', () => {
  it('run a monitor once per interval between them, over 20 intervals', async () => {
    store = openSqliteStore(':memory:');
    const clock = createFakeClock();
    await monitor(clock, 30);
    const a = { count: 0 };
    const b = { count: 0 };
    await instance(clock, LEASE_MS, a).start();
    await instance(clock, LEASE_MS, b).start();
    await clock.advance(0);
    for (let i = 0; i < 20; i++) await clock.advance(30_000);
    expect(a.count + b.count).toBe(21);
  });

  it("leave another instance's running mark alone at start-up, and take it over after the lease", async () => {
    store = openSqliteStore(':memory:');
    const clock = createFakeClock();
    await monitor(clock, 30);
    // An instance claims the run, then dies before recording it.
    expect(await store.monitors.claimDue(clock.now(), 1)).toHaveLength(1);
    const runs = { count: 0 };
    await instance(clock, LEASE_MS, runs).start();
    await clock.advance(LEASE_MS - 60_000);
    expect(runs.count).toBe(0);
    // Past the lease (the scheduler looks a few times per lease).
    await clock.advance(2 * 60_000);
    expect(runs.count).toBe(1);
  });

  it('clear every mark at start-up when it is the only one (no lease)', async () => {
    store = openSqliteStore(':memory:');
    const clock = createFakeClock();
    await monitor(clock, 30);
    expect(await store.monitors.claimDue(clock.now(), 1)).toHaveLength(1);
    const runs = { count: 0 };
    await instance(clock, undefined, runs).start();
    await clock.advance(0);
    expect(runs.count).toBe(1);
  });
});
