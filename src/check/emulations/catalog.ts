/**
 * The emulations there are, as data (what each is, never how it runs): the one place the checker
 * lists them, read by the CLI's help, the service's schemas and the page's form. Adding a platform
 * is a folder beside ./galxe/ and one line here and in ./registry.ts.
 */
import type { EmulationInfo } from './emulation.js';
import { GALXE_INFO } from './galxe/info.js';

export const EMULATION_INFOS = [GALXE_INFO] as const satisfies readonly EmulationInfo[];

export type EmulationId = (typeof EMULATION_INFOS)[number]['id'];

/** Every failure code an emulation can report. */
export type EmulationFailureCode = (typeof EMULATION_INFOS)[number]['failureCodes'][number];

export const EMULATION_IDS: readonly EmulationId[] = EMULATION_INFOS.map((e) => e.id);

export function isEmulationId(id: string): id is EmulationId {
  return (EMULATION_IDS as readonly string[]).includes(id);
}

/** The emulation named `id`, or undefined. */
export function emulationInfo(id: string): EmulationInfo | undefined {
  return EMULATION_INFOS.find((e) => e.id === id);
}
