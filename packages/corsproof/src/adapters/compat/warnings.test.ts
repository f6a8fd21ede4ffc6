import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { CompatWarningCode } from './warnings.js';

type Cors = typeof import('./index.js').default;

const A = 'https://app.example.com';
const EVIL = 'https://evil-example.com';

let emitWarning: MockInstance<typeof process.emitWarning>;

/** A fresh copy of the module, so "once per process" starts over in each test. */
async function freshCors(): Promise<Cors> {
  vi.resetModules();
  return (await import('./index.js')).default;
}

function serve(middleware: ReturnType<Cors>, origin: string, method = 'GET'): void {
  const headers = new Map<string, unknown>();
  middleware(
    { method, headers: { origin } },
    {
      setHeader: (name, value) => headers.set(name, value),
      getHeader: (name) => headers.get(name),
      end: () => {},
    },
    () => {},
  );
}

function emitted(): { code: CompatWarningCode; type: string; message: string }[] {
  return emitWarning.mock.calls.map(([message, options]) => {
    const { code, type } = options as { code: CompatWarningCode; type: string };
    return { code, type, message: String(message) };
  });
}

beforeEach(() => {
  emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('compat warnings', () => {
  it('origin true with credentials is reported once, at creation, naming the native option', async () => {
    const cors = await freshCors();
    const middleware = cors({ origin: true, credentials: true });
    cors({ origin: [A, true], credentials: true });
    serve(middleware, EVIL);
    serve(middleware, A, 'OPTIONS');
    expect(emitted()).toEqual([
      {
        code: 'CORSPROOF_COMPAT_REFLECT_CREDENTIALS',
        type: 'CorsproofWarning',
        message: expect.stringMatching(/^corsproof: origin: true with credentials: true reflects/),
      },
    ]);
    const [warning] = emitted();
    expect(warning?.message).toContain(
      "corsproof/express with origins: ['https://app.example.com'], credentials: true",
    );
  });

  it('the wildcard with credentials, the default origin included, is reported once', async () => {
    const cors = await freshCors();
    cors({ credentials: true });
    cors({ origin: '*', credentials: true });
    expect(emitted().map((w) => w.code)).toEqual(['CORSPROOF_COMPAT_WILDCARD_CREDENTIALS']);
    expect(emitted()[0]?.message).toContain('corsproof/express');
  });

  it('an unanchored RegExp is reported, an anchored one is not', async () => {
    const cors = await freshCors();
    cors({ origin: [/^https:\/\/app\.example\.com$/, /^https:\/\/(?:a|b)\.example\.com$/] });
    expect(emitted()).toEqual([]);
    cors({ origin: /example\.com$/ });
    cors({ origin: [A, /^https:\/\/example\.com/] });
    expect(emitted().map((w) => w.code)).toEqual(['CORSPROOF_COMPAT_UNANCHORED_REGEXP']);
    expect(emitted()[0]?.message).toContain('/example\\.com$/');
  });

  it('an unescaped dot is reported with an origin it lets in and the escaped pattern', async () => {
    const cors = await freshCors();
    cors({ origin: /^https:\/\/allowed.com$/ });
    cors({ origin: /^https:\/\/other.example\.com$/ });
    expect(emitted().map((w) => w.code)).toEqual(['CORSPROOF_COMPAT_UNESCAPED_DOT']);
    const message = emitted()[0]?.message ?? '';
    expect(message).toContain('lets in https://allowedxcom');
    expect(message).toContain('write /^https:\\/\\/allowed\\.com$/');
    expect(/^https:\/\/allowed.com$/.test('https://allowedxcom')).toBe(true);
  });

  it('a wildcard running into a host label is reported with the origin it lets in', async () => {
    const cors = await freshCors();
    const pattern = /^https?:\/\/.*allowed\.com$/;
    cors({ origin: pattern });
    expect(emitted().map((w) => w.code)).toEqual(['CORSPROOF_COMPAT_LOOSE_WILDCARD']);
    const message = emitted()[0]?.message ?? '';
    expect(message).toContain('lets in https://evilallowed.com');
    const fixed = '/^https?:\\/\\/(?:[a-z0-9-]+\\.)*allowed\\.com$/';
    expect(message).toContain(`write ${fixed}`);
    expect(pattern.test('https://evilallowed.com')).toBe(true);
    // The fixed pattern keeps the subdomains and the domain, and refuses the look-alike.
    const repaired = /^https?:\/\/(?:[a-z0-9-]+\.)*allowed\.com$/;
    expect(String(repaired)).toBe(fixed);
    expect(['https://allowed.com', 'https://a.b.allowed.com'].every((o) => repaired.test(o))).toBe(
      true,
    );
    expect(repaired.test('https://evilallowed.com')).toBe(false);
  });

  it('a wildcard running past the end of the host is reported with the origin it lets in', async () => {
    const cors = await freshCors();
    cors({ origin: /^https:\/\/allowed\.com.*$/ });
    expect(emitted().map((w) => w.code)).toEqual(['CORSPROOF_COMPAT_LOOSE_WILDCARD']);
    expect(emitted()[0]?.message).toContain('lets in https://allowed.com.evil.example');
  });

  it('wildcards that add whole labels, and dots in classes or escaped, are not reported', async () => {
    const cors = await freshCors();
    cors({
      origin: [
        /^https:\/\/.*\.allowed\.com$/,
        /^https:\/\/[a-z.]+\.allowed\.com$/,
        /^https:\/\/allowed\.com$/,
      ],
    });
    expect(emitted()).toEqual([]);
  });

  it('a RegExp with the g or y flag is reported for its lastIndex state', async () => {
    const cors = await freshCors();
    cors({ origin: /^https:\/\/app\.example\.com$/g });
    cors({ origin: /^https:\/\/app\.example\.com$/y });
    expect(emitted().map((w) => w.code)).toEqual(['CORSPROOF_COMPAT_STATEFUL_REGEXP']);
  });

  it('the null origin is reported, fixed or in a list', async () => {
    const cors = await freshCors();
    cors({ origin: [A, 'null'] });
    cors({ origin: 'null' });
    expect(emitted().map((w) => w.code)).toEqual(['CORSPROOF_COMPAT_NULL_ORIGIN']);
  });

  it("an origin function's answer is judged when it is first served, and only reported once", async () => {
    const cors = await freshCors();
    const middleware = cors({
      origin: (_origin, callback) => callback(null, true),
      credentials: true,
    });
    expect(emitted()).toEqual([]);
    serve(middleware, EVIL);
    serve(middleware, A);
    expect(emitted().map((w) => w.code)).toEqual(['CORSPROOF_COMPAT_REFLECT_CREDENTIALS']);
  });

  it("a delegate's options are judged per request, and each kind is reported once", async () => {
    const cors = await freshCors();
    const middleware = cors((req, callback) =>
      callback(
        null,
        req.headers.origin === A ? { origin: /app\.example\.com$/ } : { credentials: true },
      ),
    );
    expect(emitted()).toEqual([]);
    for (const origin of [A, EVIL, A, EVIL]) serve(middleware, origin);
    expect(emitted().map((w) => w.code)).toEqual([
      'CORSPROOF_COMPAT_UNANCHORED_REGEXP',
      'CORSPROOF_COMPAT_WILDCARD_CREDENTIALS',
    ]);
  });

  it.each([
    ['the defaults', undefined],
    ['a fixed origin with credentials', { origin: A, credentials: true }],
    [
      'a list of exact origins and anchored RegExps with credentials',
      { origin: [A, /^https:\/\/[a-z]+\.example\.com$/], credentials: true },
    ],
    ['origin true without credentials', { origin: true }],
    ['the wildcard without credentials', { origin: '*' }],
    ['CORS turned off with credentials', { origin: false, credentials: true }],
  ] as const)('%s emit nothing', async (_name, options) => {
    const cors = await freshCors();
    serve(cors(options), A);
    expect(emitted()).toEqual([]);
  });

  it('reaches process listeners as a CorsproofWarning with its code', async () => {
    const cors = await freshCors();
    emitWarning.mockRestore();
    const seen = new Promise<Error & { code?: string }>((resolve) =>
      process.once('warning', resolve),
    );
    cors({ origin: true, credentials: true });
    const warning = await seen;
    expect(warning.name).toBe('CorsproofWarning');
    expect(warning.code).toBe('CORSPROOF_COMPAT_REFLECT_CREDENTIALS');
  });
});
