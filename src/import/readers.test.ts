import { parsePolicyFile } from 'corsproof';
import { describe, expect, it } from 'vitest';
import { ImportSyntaxError } from './errors.js';
import { importConfig } from './import.js';

const ids = (r: ReturnType<typeof importConfig>) => r.findings.map((f) => f.id);
const origins = (r: ReturnType<typeof importConfig>, path = '/') =>
  parsePolicyFile(r.file).policyFor(path)?.toJSON().origins ?? null;

describe('cors', () => {
  it('reads a JavaScript literal with regexes, never widening an unanchored one', () => {
    const r = importConfig(
      'cors',
      "app.use(cors({ origin: ['https://a.com', /\\.example\\.com$/, /^https:\\/\\/([a-z0-9-]+\\.)+example\\.org$/], credentials: true }));",
    );
    expect(origins(r)).toEqual(['https://a.com', 'https://*.example.org']);
    expect(ids(r)).toContain('suffix-match-bypass');
    expect(r.findings.find((f) => f.id === 'suffix-match-bypass')?.severity).toBe('high');
    expect(r.file).toMatchObject({
      $schema: expect.stringContaining('policy-file'),
      credentials: true,
    });
  });

  it('reports origin: true with credentials as reflection and drops the credentials', () => {
    const r = importConfig('cors', '{ "origin": true, "credentials": true }');
    expect(ids(r)).toContain('origin-reflected-any');
    expect(r.file).toMatchObject({ origins: '*' });
    expect(r.file).not.toHaveProperty('credentials');
  });

  it('counts the package defaults: any origin, its method list, any request header', () => {
    const r = importConfig('cors', 'cors()');
    expect(r.file).toMatchObject({
      origins: '*',
      methods: ['PUT', 'PATCH', 'DELETE'],
      requestHeaders: '*',
    });
  });

  it('reports an unescaped dot with an origin it matches', () => {
    const r = importConfig('cors', '{ origin: /^https:\\/\\/app.example.com$/ }');
    expect(r.findings[0]?.message).toContain('https://appxexample.com');
    expect(ids(r)).toEqual(['unescaped-dot-regex']);
    expect(r.file).toMatchObject({ default: false });
  });

  it('names the line and column of input it cannot read', () => {
    expect(() =>
      importConfig('cors', "{\n  origin: ['https://a.com'\n  credentials: true }"),
    ).toThrow(/line 3, column 3: expected "," or "\]"/);
  });
});

describe('flask', () => {
  it('reads resources, the longest pattern first, with the call options beneath', () => {
    const r = importConfig(
      'flask',
      `CORS(app, supports_credentials=True, resources={r"/api/*": {"origins": ["https://app.example.com"]}, r"/api/public/*": {"origins": "*"}})`,
    );
    expect(Object.keys((r.file as { paths: object }).paths)).toEqual(['/api/public/*', '/api/*']);
    expect(origins(r, '/api/orders')).toEqual(['https://app.example.com']);
    expect(parsePolicyFile(r.file).policyFor('/api/orders')?.toJSON().credentials).toBe(true);
    expect(origins(r, '/other')).toBeNull();
  });

  it('counts the default origins "*" echoed back, with credentials a high finding', () => {
    const r = importConfig('flask', 'CORS(app, supports_credentials=True)');
    expect(r.findings).toContainEqual(
      expect.objectContaining({ id: 'origin-reflected-any', severity: 'high' }),
    );
    expect(r.file).toMatchObject({
      origins: '*',
      methods: ['OPTIONS', 'PUT', 'PATCH', 'DELETE'],
      requestHeaders: '*',
    });
  });

  it('reads a "*." origin string as the regex Flask-CORS makes of it', () => {
    const r = importConfig('flask', `CORS(app, origins=["https://*.example.com"])`);
    expect(ids(r)).toContain('unescaped-dot-regex');
    expect(r.file).toMatchObject({ default: false });
  });

  it('reports a regex anchored only at the start (re.match) as a prefix match', () => {
    const r = importConfig('flask', `CORS(app, origins=[r"https://app\\.example\\.com"])`);
    expect(ids(r)).toContain('prefix-match-bypass');
    expect(origins(r)).toEqual(['https://app.example.com']);
  });
});

describe('django', () => {
  it('applies the library defaults and reports the null origin', () => {
    const r = importConfig(
      'django',
      `CORS_ALLOWED_ORIGINS = [\n    "https://app.example.com",\n    "null",\n]\nCORS_ALLOW_CREDENTIALS = True\n`,
    );
    expect(r.findings).toContainEqual(
      expect.objectContaining({ id: 'null-origin-trusted', line: 1 }),
    );
    expect(r.file).toMatchObject({
      origins: ['https://app.example.com'],
      credentials: true,
      maxAge: 86400,
      methods: ['DELETE', 'OPTIONS', 'PATCH', 'PUT'],
      requestHeaders: expect.arrayContaining(['x-csrftoken', 'authorization']),
    });
  });

  it('reads CORS_URLS_REGEX as a path prefix and unanchored regexes as prefix matches', () => {
    const r = importConfig(
      'django',
      `CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\\w+\\.example\\.com"]\nCORS_URLS_REGEX = r"^/api/.*$"\n`,
    );
    expect(ids(r)).toEqual(
      expect.arrayContaining(['prefix-match-bypass', 'regex-not-expressible']),
    );
    expect(r.file).toMatchObject({ default: false, paths: { '/api/*': false } });
  });

  it('names the line of a setting it cannot read', () => {
    expect(() =>
      importConfig('django', 'X = 1\nCORS_ALLOWED_ORIGINS = ["https://a.com",\n'),
    ).toThrow(ImportSyntaxError);
  });
});

describe('fastapi', () => {
  it('counts Starlette defaults and its always-allowed headers', () => {
    const r = importConfig(
      'fastapi',
      'app.add_middleware(\n    CORSMiddleware,\n    allow_origins=["https://app.example.com"],\n    allow_headers=["X-Token"],\n)',
    );
    expect(r.file).toMatchObject({
      origins: ['https://app.example.com'],
      requestHeaders: ['x-token', 'accept', 'accept-language', 'content-language', 'content-type'],
      maxAge: 600,
      preflightStatus: 200,
    });
  });

  it('reads allow_origin_regex with fullmatch, so an unescaped dot is the only trap', () => {
    const r = importConfig(
      'fastapi',
      'app.add_middleware(CORSMiddleware, allow_origin_regex=r"https://.*\\.example\\.com", allow_credentials=True)',
    );
    expect(ids(r)).toEqual(['regex-not-expressible']);
    expect(r.findings[0]?.message).toContain('".*"');
  });

  it('reports "*" with credentials as reflection', () => {
    const r = importConfig(
      'fastapi',
      'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)',
    );
    expect(ids(r)).toContain('origin-reflected-any');
  });
});

describe('nginx', () => {
  it('reads a map of origins, and reports add_header without always and a missing Vary', () => {
    const r = importConfig(
      'nginx',
      `map $http_origin $cors_origin {
    default "";
    "~^https://([a-z0-9-]+\\.)+example\\.com$" $http_origin;
    "https://partner.test" $http_origin;
}
server {
    add_header Access-Control-Allow-Origin $cors_origin;
    add_header Access-Control-Allow-Credentials true always;
}`,
    );
    expect(origins(r)).toEqual(['https://*.example.com', 'https://partner.test']);
    expect(ids(r)).toEqual(
      expect.arrayContaining(['add-header-without-always', 'missing-vary-origin']),
    );
  });

  it('reports an OPTIONS block whose add_header lines drop the outer ones, and its status', () => {
    const r = importConfig(
      'nginx',
      `server {
    add_header Access-Control-Allow-Origin "https://app.example.com" always;
    add_header Vary Origin always;
    if ($request_method = OPTIONS) {
        add_header Access-Control-Allow-Methods "PUT, DELETE" always;
        return 200;
    }
}`,
    );
    expect(ids(r)).toContain('add-header-overridden');
    expect(r.file).toMatchObject({ methods: ['PUT', 'DELETE'], preflightStatus: 200 });
  });

  it('reads if ($http_origin ~* ...) reflection and reports an unanchored regex', () => {
    const r = importConfig(
      'nginx',
      `location /api/ {
    if ($http_origin ~* (https://app\\.example\\.com)) {
        add_header Access-Control-Allow-Origin $http_origin always;
        add_header Vary Origin always;
    }
}`,
    );
    expect(ids(r)).toEqual(expect.arrayContaining(['prefix-match-bypass']));
    expect(origins(r, '/api/orders')).toEqual(['https://app.example.com']);
    expect(origins(r, '/')).toBeNull();
  });

  it('names the line of an unclosed block', () => {
    expect(() => importConfig('nginx', 'server {\n  add_header A b;\n')).toThrow(
      /expected "}" closing the block/,
    );
  });
});

describe('aspnetcore', () => {
  it('reads named policies, wildcard subdomains and the max-age', () => {
    const r = importConfig(
      'aspnetcore',
      `builder.Services.AddCors(options =>
{
    options.AddPolicy("web", policy => policy
        .WithOrigins("https://app.example.com", "https://*.example.com")
        .SetIsOriginAllowedToAllowWildcardSubdomains()
        .AllowCredentials()
        .WithMethods("PUT", "DELETE")
        .WithHeaders("Content-Type")
        .WithExposedHeaders("X-Total-Count")
        .SetPreflightMaxAge(TimeSpan.FromMinutes(10)));
});
app.UseCors("web");`,
    );
    expect(parsePolicyFile(r.file).policyFor('/')?.toJSON()).toMatchObject({
      origins: ['https://app.example.com', 'https://*.example.com'],
      credentials: true,
      methods: ['PUT', 'DELETE'],
      requestHeaders: ['content-type'],
      exposeHeaders: ['x-total-count'],
      maxAge: 600,
    });
  });

  it('reports SetIsOriginAllowed(_ => true) with credentials as reflection', () => {
    const r = importConfig(
      'aspnetcore',
      'services.AddCors(o => o.AddDefaultPolicy(p => p.SetIsOriginAllowed(_ => true).AllowCredentials()));',
    );
    expect(r.findings).toContainEqual(
      expect.objectContaining({ id: 'origin-reflected-any', severity: 'high' }),
    );
  });
});
