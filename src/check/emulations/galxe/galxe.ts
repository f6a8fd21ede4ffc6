/** Galxe's "CORS Check" as an emulation: ./info.ts (what), ./probe.ts (rule), ./run.ts (run). */
import type { Emulation } from '../emulation.js';
import { GALXE_FAILURES } from './failures.js';
import { GALXE_INFO, type GalxeFailureCode } from './info.js';
import { runGalxe } from './run.js';

export const GALXE: Emulation<GalxeFailureCode> = {
  ...GALXE_INFO,
  failures: GALXE_FAILURES,
  run: (input) => runGalxe(GALXE, input),
};
