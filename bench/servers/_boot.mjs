/**
 * What every benchmark server shares: the mode from argv, listening on a free loopback port, telling
 * the bench (over IPC) that it is ready, and dying with the bench so no server outlives a run.
 */
import { pathToFileURL } from 'node:url';

/** The CORS variant to serve: `bare`, `limit`, `peer`, `corsproof`, `compat`... */
export const mode = process.argv[2] ?? 'bare';

/** Where corsproof's build is (the bench passes `--target`'s dist/ here). */
export const distDir = process.env.BENCH_DIST ?? new URL('../../dist/', import.meta.url).pathname;

/** Imports a module from corsproof's build, by path relative to dist/. */
export function importDist(relative) {
  return import(pathToFileURL(`${distDir.replace(/\/$/, '')}/${relative}`).href);
}

/** Reports a start-up failure to the bench, which prints it as the reason for skipping. */
export function fail(error) {
  const message = error instanceof Error ? error.message : String(error);
  if (process.send) process.send({ error: message }, () => process.exit(1));
  else {
    console.error(message);
    process.exit(1);
  }
}

/**
 * Listens on a free loopback port (unless `listen` is false: the framework already listens) and
 * sends `{ ready, port }`. With BENCH_COUNT_REQUESTS set, it counts requests and answers
 * `{ cmd: 'count' }` messages, for the auditor's requests per audit.
 */
export function ready(server, listen = true) {
  let count = 0;
  if (process.env.BENCH_COUNT_REQUESTS) {
    server.on('request', () => {
      count++;
    });
  }
  process.on('message', (message) => {
    if (message?.cmd === 'count') process.send?.({ count });
  });
  // The bench holds the other end of the IPC channel: when it goes (even on SIGKILL), so do we.
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  const announce = () => process.send?.({ ready: true, port: server.address().port });
  if (listen) server.listen(0, '127.0.0.1', announce);
  else announce();
}
