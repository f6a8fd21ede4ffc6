/**
 * The emulations the checker can run, by id (see ./catalog.ts for what each is). The checker
 * reaches an emulation only through here.
 */
import { isEmulationId } from './catalog.js';
import type { Emulation } from './emulation.js';
import { GALXE } from './galxe/galxe.js';

const EMULATIONS: readonly Emulation[] = [GALXE];

/** The emulation with this id; undefined for an id that is not registered. */
export function emulationById(id: string): Emulation | undefined {
  return isEmulationId(id) ? EMULATIONS.find((e) => e.id === id) : undefined;
}
