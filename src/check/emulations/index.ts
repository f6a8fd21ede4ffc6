/** Emulations of server-side checkers: the interface, what exists, and how each runs. */
export {
  EMULATION_IDS,
  EMULATION_INFOS,
  type EmulationFailureCode,
  type EmulationId,
  emulationInfo,
  isEmulationId,
} from './catalog.js';
export type {
  Emulation,
  EmulationFailureDetail,
  EmulationFailureEntry,
  EmulationInfo,
  EmulationRunInput,
} from './emulation.js';
export { GALXE_ORIGIN, type GalxeFailureCode } from './galxe/info.js';
export { galxePreflightRequest, judgeGalxePreflight } from './galxe/probe.js';
export { emulationById } from './registry.js';
