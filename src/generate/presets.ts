/**
 * Presets: policy files written for a known caller, so `corsproof generate --preset NAME` gives
 * every target a configuration that caller accepts.
 *
 * `galxe`: Galxe's "CORS Check" (see src/check/galxe.ts) preflights a credential API from
 * https://dashboard.galxe.com for GET and for POST, asking for `Content-Type`, and passes on a 2xx
 * status, that origin (or `*`) in Access-Control-Allow-Origin and the method in
 * Access-Control-Allow-Methods. The policy allows exactly that: the one origin, GET and POST (listed
 * so the preflight names them; a policy answers with the requested method), and `Content-Type`.
 */
import type { CorsOptions, PolicySetJSON } from 'corsproof';
import { GALXE_ORIGIN } from '../check/index.js';

/** The names `--preset` accepts. */
export const PRESET_NAMES = ['galxe'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** The policy Galxe's CORS Check accepts, for GET and POST. */
export const GALXE_POLICY: CorsOptions = Object.freeze({
  origins: [GALXE_ORIGIN],
  methods: ['GET', 'POST'],
  requestHeaders: ['Content-Type'],
});

/** Every preset's policy, by name. */
const PRESETS: Readonly<Record<PresetName, CorsOptions>> = { galxe: GALXE_POLICY };

/** A `--policy` document the preset cannot be combined with; the message says what to write. */
export class PresetError extends Error {
  override readonly name = 'PresetError';
}

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

function union(
  preset: readonly string[] | '*' | undefined,
  extra: readonly string[] | '*' | undefined,
): readonly string[] | '*' | undefined {
  if (preset === '*' || extra === '*') return '*';
  const all = [...(preset ?? []), ...(extra ?? [])];
  return all.length === 0 ? undefined : [...new Set(all)];
}

/**
 * The preset's policy document, optionally widened by the user's own one-policy document: the
 * origins, methods and request headers of both, every other option from `extra`. The result is a
 * document for `parsePolicyFile`, which validates the combination.
 *
 * @example
 * parsePolicyFile(presetDocument('galxe', { origins: ['https://app.example.com'] }))
 */
export function presetDocument(name: PresetName, extra?: unknown): CorsOptions {
  const preset = PRESETS[name];
  if (extra === undefined) return preset;
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
    throw new PresetError(
      'corsproof: --policy with --preset must be one policy, a JSON object such as { "origins": ["https://app.example.com"] }',
    );
  }
  const set = extra as PolicySetJSON;
  if (set.default !== undefined || set.policies !== undefined || set.paths !== undefined) {
    throw new PresetError(
      `corsproof: --preset ${name} widens one policy; the --policy file has default/policies/paths. Add ${JSON.stringify(preset.origins)}, the methods ${JSON.stringify(preset.methods)} and the request headers ${JSON.stringify(preset.requestHeaders)} to that file's policies instead.`,
    );
  }
  const { $schema: _schema, ...own } = extra as CorsOptions & { $schema?: string };
  if (typeof own.origins === 'function') {
    throw new PresetError(
      'corsproof: a policy file lists its origins as strings or "*", not a function',
    );
  }
  const origins = union(preset.origins as readonly string[], own.origins) ?? preset.origins;
  const methods = union(preset.methods, own.methods);
  const requestHeaders = union(preset.requestHeaders, own.requestHeaders);
  return {
    ...own,
    origins,
    ...(methods !== undefined ? { methods } : {}),
    ...(requestHeaders !== undefined ? { requestHeaders } : {}),
  };
}
