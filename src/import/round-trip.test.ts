/**
 * import(generate(policy)) gives back the policy, for every policy of the real-server tests a
 * target can express, compared per sample path with `policyFor(path).toJSON()`. Where the
 * generator warned that the server differs, the comparison allows exactly that difference.
 */

import type { PolicyJSON } from 'corsproof';
import { parsePolicyFile } from 'corsproof';
import { describe, expect, it } from 'vitest';
import { policies } from '../../test/servers/policies.js';
import { GenerateError, generate, TARGETS, type TargetName } from '../generate/index.js';
import { type ImportSource, importConfig } from './import.js';

const SAMPLE_PATHS = [
  '/',
  '/api/x',
  '/admin/x',
  '/public/x',
  '/partners/x',
  '/internal/x',
  '/legacy/x',
  '/orders/1',
  '/health',
  '/open/x',
  '/private/x',
];

/** Safelisted methods are allowed whether listed or not; origin order does not matter. */
function comparable(json: PolicyJSON | null, warnings: ReadonlySet<string>): unknown {
  if (json === null) return null;
  const { debug: _debug, ...rest } = json;
  const out: Record<string, unknown> = {
    ...rest,
    origins: Array.isArray(json.origins) ? [...json.origins].sort() : json.origins,
    methods: Array.isArray(json.methods)
      ? json.methods.filter((m) => !['GET', 'HEAD', 'POST'].includes(m))
      : json.methods,
  };
  // The server answers preflights with its own status (Flask, Django, Starlette: 200).
  if (warnings.has('preflight-status') || warnings.has('refused-preflight-status'))
    delete out.preflightStatus;
  // Starlette always sends a max-age: 5, the Fetch default, for none.
  if (warnings.has('max-age-always-sent') && (out.maxAge === 5 || out.maxAge === null))
    delete out.maxAge;
  // The server cannot answer Private Network Access preflights: the policy's true becomes false.
  if (warnings.has('private-network-unsupported')) delete out.privateNetwork;
  // "methods: *" became the library's full method list.
  if (warnings.has('methods-wildcard-listed')) delete out.methods;
  return out;
}

/**
 * Sources whose generated configuration the importer reads only for files without paths: the
 * cors target writes a JavaScript path router, ASP.NET Core endpoint routing.
 */
const SINGLE_POLICY_ONLY = new Set<ImportSource>(['cors', 'aspnetcore']);

/** Generated code the importer does not run (an ASP.NET Core SetIsOriginAllowed predicate). */
const runsCode = (config: string) => /SetIsOriginAllowed\s*\(\s*(?!_\s*=>\s*true)/.test(config);

const SOURCES: readonly ImportSource[] = [
  'cors',
  'flask',
  'django',
  'fastapi',
  'nginx',
  'aspnetcore',
];

describe.each(SOURCES)('import(generate(policy)) for %s', (source) => {
  const runnable = TARGETS.has(source);
  for (const { name, file } of policies) {
    const original = parsePolicyFile(file);
    let generated: ReturnType<typeof generate> | undefined;
    if (runnable) {
      try {
        generated = generate(original, source as TargetName);
      } catch (error) {
        if (!(error instanceof GenerateError)) throw error;
      }
    }
    const hasPaths = 'paths' in file || 'policies' in file;
    const skip =
      generated === undefined ||
      (hasPaths && SINGLE_POLICY_ONLY.has(source)) ||
      runsCode(generated.config);
    it.skipIf(skip)(`gives back the ${name} policy`, () => {
      const result = generated as NonNullable<typeof generated>;
      const warnings = new Set(result.warnings.map((w) => w.code));
      const imported = parsePolicyFile(importConfig(source, result.config).file);
      for (const path of SAMPLE_PATHS) {
        expect(comparable(imported.policyFor(path)?.toJSON() ?? null, warnings), path).toEqual(
          comparable(original.policyFor(path)?.toJSON() ?? null, warnings),
        );
      }
    });
  }
});
