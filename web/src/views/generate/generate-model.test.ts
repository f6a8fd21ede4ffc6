import { describe, expect, it } from 'vitest';
import {
  formToDocument,
  INITIAL_FORM,
  outcomeSummary,
  readDocument,
  runGenerate,
  TARGET_CHOICES,
} from './generate-model';

const TWO_ORIGINS = { origins: ['https://app.example.com', 'https://admin.example.com'] };

describe('formToDocument', () => {
  it('writes one origin per line and splits lists on commas and spaces', () => {
    expect(
      formToDocument({
        ...INITIAL_FORM,
        origins: ' https://a.example.com \n\nhttps://b.example.com',
        methods: 'GET,POST  PUT',
        exposeHeaders: 'X-Total',
      }),
    ).toMatchObject({
      origins: ['https://a.example.com', 'https://b.example.com'],
      methods: ['GET', 'POST', 'PUT'],
      exposeHeaders: ['X-Total'],
    });
  });

  it('leaves out empty fields and unticked options so the library defaults apply', () => {
    const document = formToDocument({
      origins: 'https://a.example.com',
      credentials: false,
      methods: '',
      requestHeaders: ' ',
      exposeHeaders: '',
      maxAge: '',
      privateNetwork: false,
    });
    expect(document).toEqual({ origins: ['https://a.example.com'] });
  });

  it('keeps a max-age that is not a whole number as typed, for validation to report', () => {
    expect(formToDocument({ ...INITIAL_FORM, maxAge: '600' }).maxAge).toBe(600);
    expect(formToDocument({ ...INITIAL_FORM, maxAge: '10m' }).maxAge).toBe('10m');
    expect(runGenerate(formToDocument({ ...INITIAL_FORM, maxAge: '10m' }), 'nginx')).toMatchObject({
      kind: 'invalid',
      issues: [expect.objectContaining({ path: 'maxAge' })],
    });
  });
});

describe('runGenerate', () => {
  it('offers every target of the registry', () => {
    expect(TARGET_CHOICES.map((t) => t.name)).toEqual(
      expect.arrayContaining(['nginx', 'apache', 'flask', 'aspnetcore', 's3', 'workers']),
    );
    expect(TARGET_CHOICES).toHaveLength(16);
  });

  it('generates nginx for a two-origin policy with headers added on errors too', () => {
    const outcome = runGenerate({ ...TWO_ORIGINS, credentials: true }, 'nginx');
    expect(outcome.kind).toBe('generated');
    if (outcome.kind !== 'generated') return;
    expect(outcome.config).toMatch(/add_header Access-Control-Allow-Origin .* always;/);
    expect(outcome.config).toContain('https://admin\\.example\\.com');
  });

  it('generates the form’s initial policy for every target without throwing', () => {
    for (const { name } of TARGET_CHOICES) {
      const outcome = runGenerate(formToDocument(INITIAL_FORM), name);
      expect(['generated', 'refused'], name).toContain(outcome.kind);
    }
  });

  it('reports every problem of an invalid policy with its path, reason and fix', () => {
    const outcome = runGenerate(
      { origins: ['https://app.example.com/', 'ftp://x'], maxAge: -1 },
      'nginx',
    );
    expect(outcome.kind).toBe('invalid');
    if (outcome.kind !== 'invalid') return;
    expect(outcome.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['origins[0]', 'maxAge']),
    );
    const first = outcome.issues.find((i) => i.path === 'origins[0]');
    expect(first?.code).toBe('ORIGIN_INVALID');
    expect(first?.fix).not.toBe('');
  });

  it('reports problems inside named policies at their path in the file', () => {
    const outcome = runGenerate(
      {
        default: { origins: ['https://app.example.com'] },
        policies: { partners: { origins: ['https://partner.example.com/'] } },
        paths: { '/api/*': 'partners' },
      },
      'nginx',
    );
    expect(outcome).toMatchObject({
      kind: 'invalid',
      issues: [expect.objectContaining({ path: 'policies.partners.origins[0]' })],
    });
  });

  it('returns a target’s refusal as refused, with the GenerateError’s code and message', () => {
    // A path table is more than one S3 bucket's CORS rules can say.
    const refusal = TARGET_CHOICES.map(({ name }) =>
      runGenerate(
        {
          default: { origins: ['https://app.example.com'] },
          paths: { '/api/*': { origins: ['https://other.example.com'] }, '/*': false },
        },
        name,
      ),
    ).find((o) => o.kind === 'refused');
    expect(refusal).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/^corsproof: cannot generate/),
    });
  });

  it('tells a JSON syntax error apart from a policy', () => {
    const read = readDocument('{ "origins": [ }');
    expect(read).toMatchObject({
      kind: 'unreadable',
      message: expect.stringContaining('not JSON'),
    });
    expect(readDocument('{"origins":["https://a.example.com"]}')).toEqual({
      document: { origins: ['https://a.example.com'] },
    });
  });

  it('summarises the outcome in one sentence for a screen reader', () => {
    expect(outcomeSummary(runGenerate(TWO_ORIGINS, 'nginx'), 'nginx')).toMatch(
      /^Generated nginx configuration/,
    );
    expect(outcomeSummary(runGenerate({ origins: [] }, 'nginx'), 'nginx')).toMatch(
      /^The policy has a problem; nothing generated\.$/,
    );
  });
});
