/**
 * The CLI bundle's `performance.now()` (scripts/bundle-cli.mjs puts it in place with esbuild's
 * `define`): milliseconds on the monotonic clock `performance` reads, without making `performance`.
 * Node makes that global on first use by compiling perf_hooks and its eight internal modules,
 * about 2 ms of a `corsproof check` whose only use of it is timing a few exchanges. Only
 * differences between two readings are ever used, so the other origin does not matter.
 */
export const cliMonotonicNow = () => Number(process.hrtime.bigint()) / 1e6;
