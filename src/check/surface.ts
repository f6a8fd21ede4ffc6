/**
 * The checker's light entry: what a command line needs to read its options before it runs a check
 * (browser and emulation names, the input error, the `--resolve` pins), without loading the engine,
 * undici or the Public Suffix List. Everything else comes from `index.ts`; the CLI imports the
 * engine lazily, when a command runs, so `corsproof check --help` starts fast.
 */
export { BROWSER_NAMES } from './browser-names.js';
export { EMULATION_IDS, EMULATION_INFOS } from './emulations/catalog.js';
export { CheckInputError } from './errors.js';
export { PinnedHosts } from './resolve.js';
