/**
 * `corsproof generate --for aspnetcore`: the policy file as ASP.NET Core's CORS middleware
 * (Microsoft.AspNetCore.Cors, .NET 6 and later), read from its source
 * (src/Middleware/CORS/src/Infrastructure in dotnet/aspnetcore):
 * - `CorsService` adds headers only for allowed origins; it never compares the requested method or
 *   headers, it lists the policy's (`AllowAnyMethod`/`AllowAnyHeader` echo the requested ones) and
 *   the browser compares; `AllowAnyOrigin` with `AllowCredentials` throws;
 * - `Vary: Origin` is added only to allowed responses, and only with several origins or a custom
 *   origin check;
 * - `CorsMiddleware` answers every preflight it has a policy for with 204, allowed or not;
 * - `SetIsOriginAllowedToAllowWildcardSubdomains` matches `*.host` at any depth with the same
 *   scheme and port (`UriHelpers.IsSubdomainOf`); any port needs a regex in `SetIsOriginAllowed`;
 * - there is no Private Network Access answer.
 * A path table becomes one `UseCors("name")` branch per policy, chosen from the raw request
 * target by the plan's rules, so letter-case and escaped variants get no CORS as in the engine.
 */
import type { CorsPolicy, PolicyFile } from 'corsproof';
import { planFile, READABLE_PATH } from '../_plan.js';
import { originRegex, pcreWithMaxLength } from '../_regex.js';
import type { GenerateResult, GenerateWarning, Target } from '../target.js';
import { fixedPreflightStatus, originSpecs, policyAt, warning, written } from './_vendor.js';

const FILE_NAME = 'CorsPolicies.cs';

/** A C# string literal (regular, escaped). */
function cs(text: string): string {
  return JSON.stringify(text);
}

/** A verbatim C# string for a regex: only `"` needs doubling. */
function csRegex(regex: string): string {
  const insensitive = regex.startsWith('^(?i)');
  return `new Regex(@"${(insensitive ? `^${regex.slice(5)}` : regex).replace(/"/g, '""')}", RegexOptions.CultureInvariant${insensitive ? ' | RegexOptions.IgnoreCase' : ''})`;
}

/** The builder calls of one policy, one per line. */
function builderCalls(
  policy: CorsPolicy,
  regexName: string,
): { calls: string[]; regex: string | null } {
  const c = policy.config;
  const calls: string[] = [];
  let regex: string | null = null;
  const specs = originSpecs(policy);
  if (specs === '*') calls.push('.AllowAnyOrigin()');
  else if (specs.some((s) => s.kind === 'pattern' && s.port === '*')) {
    // WithOrigins compares ports exactly, so any port is checked with the engine's own regex.
    const { allow, maxLength } = originRegex(specs);
    regex = csRegex(pcreWithMaxLength(allow, maxLength));
    calls.push(`.SetIsOriginAllowed(origin => ${regexName}.IsMatch(origin))`);
  } else {
    calls.push(`.WithOrigins(${specs.map((s) => cs(written(s))).join(', ')})`);
    if (specs.some((s) => s.kind === 'pattern')) {
      calls.push('.SetIsOriginAllowedToAllowWildcardSubdomains()');
    }
  }
  if (c.credentials) calls.push('.AllowCredentials()');
  if (c.methods === '*') calls.push('.AllowAnyMethod()');
  else if (c.methods.length > 0) calls.push(`.WithMethods(${c.methods.map(cs).join(', ')})`);
  if (c.requestHeaders === '*') calls.push('.AllowAnyHeader()');
  else if (c.requestHeaders.length > 0) {
    calls.push(`.WithHeaders(${c.requestHeaders.map(cs).join(', ')})`);
  }
  if (c.exposeHeaders === '*') calls.push('.WithExposedHeaders("*")');
  else if (c.exposeHeaders.length > 0) {
    calls.push(`.WithExposedHeaders(${c.exposeHeaders.map(cs).join(', ')})`);
  }
  if (c.maxAge !== null) calls.push(`.SetPreflightMaxAge(TimeSpan.FromSeconds(${c.maxAge}))`);
  return { calls, regex };
}

function policyWarnings(policy: CorsPolicy, where: string): GenerateWarning[] {
  const c = policy.config;
  const out: GenerateWarning[] = [
    ...fixedPreflightStatus(policy, where, 'ASP.NET Core', 204),
    warning(
      'refused-preflight-status',
      where,
      'a refused preflight gets 204 without any CORS header instead of 403; browsers fail it either way.',
    ),
    warning(
      'preflight-headers-differ',
      where,
      'accepted preflights list every allowed method and request header instead of echoing the requested ones; browsers read them the same way.',
    ),
    warning(
      'vary-incomplete',
      where,
      'Vary: Origin is sent only on responses to allowed origins (and with a single exact origin, not even there): a shared cache must key on Origin or not store these responses.',
    ),
  ];
  if (c.privateNetwork) {
    out.push(
      warning(
        'private-network-unsupported',
        `${where}.privateNetwork`,
        'ASP.NET Core never sends Access-Control-Allow-Private-Network, so Private Network Access preflights fail.',
      ),
    );
  }
  return out;
}

function generate(file: PolicyFile): GenerateResult {
  const plan = planFile('aspnetcore', file);
  const warnings: GenerateWarning[] = plan.warnings.filter(
    (w) => w.code !== 'punycode-subdomains-refused',
  );
  const table = plan.routes.length > 0;
  const policyLines: string[] = [];
  const regexFields: string[] = [];
  for (const planned of plan.policies) {
    const policy = policyAt(file, planned);
    const regexName = `${planned.id.replace(/(^|_)([a-z])/g, (_m, _s, ch: string) => ch.toUpperCase())}Origins`;
    const { calls, regex } = builderCalls(policy, regexName);
    if (regex !== null) {
      regexFields.push(`    private static readonly Regex ${regexName} = ${regex};`);
      warnings.push(
        ...plan.warnings.filter(
          (w) => w.code === 'punycode-subdomains-refused' && w.path.startsWith(planned.where),
        ),
      );
    }
    warnings.push(...policyWarnings(policy, planned.where));
    const add =
      !table && planned.id === plan.fallback
        ? 'options.AddDefaultPolicy(policy => policy'
        : `options.AddPolicy(${cs(planned.id)}, policy => policy`;
    policyLines.push(
      `            // ${planned.where}`,
      `            ${add}`,
      ...calls.map((call) => `                ${call}`),
      '            );',
    );
  }
  const lines = [
    '// CORS for ASP.NET Core, generated by `corsproof generate --for aspnetcore` from a policy file.',
    '// Edit the policy file and generate again rather than editing this file; `corsproof conform`',
    '// checks a running server against the policy. Use it in Program.cs:',
    '//',
    '//     builder.Services.AddCorsproofPolicies();',
    '//     ...',
    '//     app.UseRouting();',
    table
      ? '//     app.UseCorsproofPolicies(); // after UseRouting, before the endpoints'
      : '//     app.UseCors(); // after UseRouting, before UseAuthorization and the endpoints',
    '//',
    '// Endpoint metadata ([EnableCors], [DisableCors], RequireCors) overrides what is chosen here:',
    '// leave it out, or the policy file no longer says what the server does.',
    'using System;',
    'using System.Text.RegularExpressions;',
    'using Microsoft.AspNetCore.Builder;',
    'using Microsoft.AspNetCore.Http;',
    'using Microsoft.AspNetCore.Http.Features;',
    'using Microsoft.Extensions.DependencyInjection;',
    '',
    'public static class CorsproofPolicies',
    '{',
    ...regexFields,
    ...(regexFields.length > 0 ? [''] : []),
    '    public static IServiceCollection AddCorsproofPolicies(this IServiceCollection services) =>',
    '        services.AddCors(options =>',
    '        {',
    ...policyLines,
    '        });',
  ];
  if (table) {
    const routes = plan.routes.map(
      (r) =>
        `        // ${r.note}\n        (${csRegex(r.path)}, ${r.policy === null ? 'null' : cs(r.policy)}),`,
    );
    lines.push(
      '',
      '    /** Which policy each request target gets, first match wins; null for no CORS. */',
      '    private static readonly (Regex Path, string? Policy)[] Routes =',
      '    {',
      ...routes,
      '    };',
      '',
      `    private static readonly Regex ReadablePath = ${csRegex(READABLE_PATH)};`,
      '',
      '    /** The policy of the raw request target (not the decoded Path), or null. */',
      '    public static string? PolicyFor(HttpContext context)',
      '    {',
      '        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";',
      "        var path = target.Split('?')[0];",
      '        if (!ReadablePath.IsMatch(path)) return null;',
      '        foreach (var (pattern, policy) in Routes) if (pattern.IsMatch(path)) return policy;',
      `        return ${plan.fallback === null ? 'null' : cs(plan.fallback)};`,
      '    }',
      '',
      '    /** One UseCors branch per policy; requests that get none pass by untouched. */',
      '    public static IApplicationBuilder UseCorsproofPolicies(this IApplicationBuilder app)',
      '    {',
      ...plan.policies.map(
        (p) =>
          `        app.UseWhen(context => PolicyFor(context) == ${cs(p.id)}, branch => branch.UseCors(${cs(p.id)}));`,
      ),
      '        return app;',
      '    }',
    );
  }
  lines.push('}', '');
  return { config: lines.join('\n'), fileName: FILE_NAME, warnings };
}

/** ASP.NET Core's CORS middleware. */
export const aspnetcore: Target = {
  name: 'aspnetcore',
  summary: "ASP.NET Core's CORS middleware (CorsPolicies.cs: AddCorsproofPolicies, UseCors)",
  generate,
};
