import { parsePolicyFile } from 'corsproof';
import { describe, expect, it } from 'vitest';
import type { NeededPolicy } from '../check/index.js';
import { FixTargetError, parseFixTargets, snippetsFor, withFixSnippets } from './fix-snippets.js';
import { presetDocument } from './presets.js';
import { generate, TARGETS } from './registry.js';
import type { TargetName } from './target.js';

const ALL = [...TARGETS.keys()] as TargetName[];

/** What `corsproof generate --policy` writes for a hand-written document, per target. */
function generated(document: unknown, target: TargetName) {
  try {
    const out = generate(parsePolicyFile(document), target);
    return { code: out.config, warnings: out.warnings.map((w) => w.message), error: null };
  } catch (error) {
    return { code: null, warnings: [], error: (error as Error).message };
  }
}

function rendered(policy: NeededPolicy, target: TargetName) {
  const [snippet] = snippetsFor(policy, [target]);
  return {
    code: snippet?.code ?? null,
    warnings: snippet?.warnings.map((w) => w.message) ?? [],
    error: snippet?.error ?? null,
  };
}

describe('snippetsFor: one source for fixes and generate', () => {
  const needed: NeededPolicy = {
    origin: 'https://app.example',
    credentials: true,
    methods: ['PUT'],
    requestHeaders: ['x-api-key'],
  };
  const document = {
    origins: ['https://app.example'],
    credentials: true,
    methods: ['PUT'],
    requestHeaders: ['x-api-key'],
  };

  it.each(ALL)('renders %s exactly as corsproof generate does for the same policy', (target) => {
    expect(rendered(needed, target)).toEqual(generated(document, target));
  });

  it.each(ALL)("renders Galxe's fix for %s as generate --preset galxe does", (target) => {
    const galxe: NeededPolicy = {
      origin: 'https://dashboard.galxe.com',
      credentials: false,
      methods: ['GET', 'POST'],
      requestHeaders: ['content-type'],
    };
    const preset = presetDocument('galxe') as unknown as { requestHeaders: string[] };
    const lower = { ...preset, requestHeaders: preset.requestHeaders.map((h) => h.toLowerCase()) };
    expect(rendered(galxe, target)).toEqual(generated(lower, target));
  });

  it('writes a wildcard origin for a tainted request without credentials, never null', () => {
    const [nginx] = snippetsFor(
      { origin: '*', credentials: false, methods: [], requestHeaders: [] },
      ['nginx'],
    );
    expect(nginx?.error).toBeNull();
    expect(nginx?.code).not.toMatch(/\bnull\b.*allowed/);
    expect(nginx?.code).toEqual(generated({ origins: '*' }, 'nginx').code);
  });

  it("shows the policy engine's refusal rather than a looser snippet", () => {
    const snippets = snippetsFor(
      { origin: 'http://app.example', credentials: true, methods: [], requestHeaders: [] },
      ALL,
    );
    for (const s of snippets) {
      expect(s.code, s.target).toBeNull();
      expect(s.error, s.target).toMatch(/dangerouslyAllowInsecureOrigins/);
    }
  });

  it("keeps each target's warnings with its snippet", () => {
    const [flask] = snippetsFor(needed, ['flask']);
    expect(flask?.warnings.map((w) => w.code)).toContain('preflight-status');
  });
});

describe('parseFixTargets', () => {
  it('reads a comma-separated list, once each', () => {
    expect(parseFixTargets('nginx, flask,nginx')).toEqual(['nginx', 'flask']);
  });

  it('names the unknown targets and every known one', () => {
    expect(() => parseFixTargets('nginx,iis')).toThrow(FixTargetError);
    expect(() => parseFixTargets('nginx,iis')).toThrow(
      /no generator for iis; name one or more of nginx, apache/,
    );
    expect(() => parseFixTargets(' , ')).toThrow(/no target/);
  });
});

describe('withFixSnippets', () => {
  it('renders every failure of a result, and nothing for a fix without a policy', () => {
    const fix = (policy: NeededPolicy | null) => ({
      summary: 's',
      where: 'preflight' as const,
      header: null,
      policy,
    });
    const failure = (policy: NeededPolicy | null) => ({
      code: 'PreflightInvalidStatus' as const,
      step: 0,
      message: 'm',
      explanation: 'e',
      failedParameter: '',
      fix: fix(policy),
    });
    const policy: NeededPolicy = {
      origin: 'https://app.example',
      credentials: false,
      methods: [],
      requestHeaders: [],
    };
    const result = {
      browser: 'chromium',
      scope: 'full',
      plan: {} as never,
      steps: [],
      curl: [],
      warnings: [],
      preflightCache: null,
      emulation: null,
      verdict: 'blocked',
      allowed: false,
      failures: [failure(policy), failure(null)],
    } as const;
    const out = withFixSnippets(result, ['nginx', 'express']);
    if (out.verdict !== 'blocked') throw new Error('expected blocked');
    expect(out.failures[0].fix.snippets?.map((s) => s.target)).toEqual(['nginx', 'express']);
    expect(out.failures[1]?.fix.snippets).toEqual([]);
  });
});
