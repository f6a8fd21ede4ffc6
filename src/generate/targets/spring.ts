/**
 * `corsproof generate --for spring`: the policy file as a Spring `CorsConfigurationSource` bean
 * (Spring Framework 5.3.32 / 6.1 and later, Spring MVC or Spring Security's `http.cors()`), read
 * from `CorsConfiguration` and `DefaultCorsProcessor` in spring-projects/spring-framework:
 * - exact origins go to `setAllowedOrigins` (compared ignoring case), patterns to
 *   `setAllowedOriginPatterns`, where `*` stands for any part of the host name and `:[*]` for any
 *   port, the default included; the matched origin is echoed;
 * - the processor checks the origin, the method and, on preflights, the request headers, and
 *   answers a failed check with 403 "Invalid CORS request", actual requests included;
 * - it adds `Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers` to
 *   every response it sees; accepted preflights get 200;
 * - methods not set mean GET and HEAD only, so they are always listed; `setAllowPrivateNetwork`
 *   answers Private Network Access preflights (5.3.32).
 * A single policy is registered for `/**` with `UrlBasedCorsConfigurationSource`; a path table
 * becomes a source choosing by the raw request URI with the plan's rules, so letter-case and
 * escaped variants get no CORS as in the engine.
 */
import type { CorsPolicy, ParsedOriginSpec, PolicyFile } from 'corsproof';
import { planFile, READABLE_PATH } from '../_plan.js';
import type { GenerateResult, GenerateWarning, Target } from '../target.js';
import { fixedPreflightStatus, originSpecs, policyAt, warning } from './_vendor.js';

const FILE_NAME = 'CorsConfig.java';

const SAFELISTED = ['GET', 'HEAD', 'POST'];

function java(text: string): string {
  return JSON.stringify(text);
}

function listOf(values: readonly string[]): string {
  return `List.of(${values.map(java).join(', ')})`;
}

/** A Spring origin pattern: `*.` as it is, `:*` as `:[*]`. */
function springPattern(spec: ParsedOriginSpec & { kind: 'pattern' }): string {
  const host = spec.anySubdomain ? `*.${spec.host}` : spec.host;
  const port = spec.port === '*' ? ':[*]' : spec.port === null ? '' : `:${spec.port}`;
  return `${spec.scheme}://${host}${port}`;
}

/** The statements that build one `CorsConfiguration` in a variable `name`. */
function configuration(policy: CorsPolicy, name: string): string[] {
  const c = policy.config;
  const out = [`CorsConfiguration ${name} = new CorsConfiguration();`];
  const specs = originSpecs(policy);
  if (specs === '*') {
    // allowedOrigins "*" may not be combined with allowPrivateNetwork; the pattern "*" may.
    out.push(
      c.privateNetwork
        ? `${name}.setAllowedOriginPatterns(List.of("*"));`
        : `${name}.setAllowedOrigins(List.of("*"));`,
    );
  } else {
    const exact = specs.flatMap((s) => (s.kind === 'exact' ? [s.serialized] : []));
    const patterns = specs.flatMap((s) => (s.kind === 'pattern' ? [springPattern(s)] : []));
    if (exact.length > 0) out.push(`${name}.setAllowedOrigins(${listOf(exact)});`);
    if (patterns.length > 0) out.push(`${name}.setAllowedOriginPatterns(${listOf(patterns)});`);
  }
  if (c.credentials) out.push(`${name}.setAllowCredentials(true);`);
  const methods =
    c.methods === '*'
      ? ['*']
      : [...SAFELISTED, ...c.methods.filter((m) => !SAFELISTED.includes(m))];
  out.push(`${name}.setAllowedMethods(${listOf(methods)});`);
  if (c.requestHeaders === '*') out.push(`${name}.setAllowedHeaders(List.of("*"));`);
  else if (c.requestHeaders.length > 0) {
    out.push(`${name}.setAllowedHeaders(${listOf(c.requestHeaders)});`);
  }
  if (c.exposeHeaders === '*') out.push(`${name}.setExposedHeaders(List.of("*"));`);
  else if (c.exposeHeaders.length > 0) {
    out.push(`${name}.setExposedHeaders(${listOf(c.exposeHeaders)});`);
  }
  if (c.maxAge !== null) out.push(`${name}.setMaxAge(${c.maxAge}L);`);
  if (c.privateNetwork) out.push(`${name}.setAllowPrivateNetwork(true);`);
  return out;
}

function policyWarnings(policy: CorsPolicy, where: string): GenerateWarning[] {
  return [
    ...fixedPreflightStatus(policy, where, 'Spring', 200),
    warning(
      'refused-request-403',
      where,
      'a request from a refused origin, or with a method not allowed, gets 403 "Invalid CORS request" instead of reaching the application, actual requests included (even a plain OPTIONS with an Origin); browsers would not have let script read the answer either.',
    ),
    warning(
      'preflight-headers-differ',
      where,
      'accepted preflights list every allowed method instead of echoing the requested one; browsers read them the same way.',
    ),
    warning(
      'same-origin-skipped',
      where,
      "requests whose Origin is the server's own origin get no CORS headers; browsers never need them there.",
    ),
  ];
}

function generate(file: PolicyFile): GenerateResult {
  const plan = planFile('spring', file);
  const warnings: GenerateWarning[] = plan.warnings.filter(
    (w) => w.code !== 'punycode-subdomains-refused',
  );
  const table = plan.routes.length > 0;
  const body: string[] = [];
  for (const planned of plan.policies) {
    const policy = policyAt(file, planned);
    warnings.push(...policyWarnings(policy, planned.where));
    body.push(`// ${planned.where}`, ...configuration(policy, camel(planned.id)), '');
  }
  const header = [
    '// CORS for Spring, generated by `corsproof generate --for spring` from a policy file. Edit the',
    '// policy file and generate again rather than editing this file; `corsproof conform` checks a',
    '// running server against the policy. Spring MVC picks this bean up by itself; with Spring',
    '// Security, enable it with http.cors(Customizer.withDefaults()). Leave out @CrossOrigin and',
    '// WebMvcConfigurer.addCorsMappings: they would combine with this configuration.',
  ];
  const imports = [
    'import java.util.List;',
    ...(table ? ['import java.util.Map;', 'import java.util.regex.Pattern;'] : []),
    '',
    'import org.springframework.context.annotation.Bean;',
    'import org.springframework.context.annotation.Configuration;',
    'import org.springframework.web.cors.CorsConfiguration;',
    'import org.springframework.web.cors.CorsConfigurationSource;',
    ...(table ? [] : ['import org.springframework.web.cors.UrlBasedCorsConfigurationSource;']),
  ];
  const indent = (lines: string[], n: number) =>
    lines.map((l) => (l === '' ? l : ' '.repeat(n) + l));
  const bean: string[] = ['@Bean', 'CorsConfigurationSource corsConfigurationSource() {'];
  if (!table) {
    const only = plan.policies[0];
    bean.push(
      ...indent(body, 4),
      '    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();',
      ...(only === undefined
        ? []
        : [`    source.registerCorsConfiguration("/**", ${camel(only.id)});`]),
      '    return source;',
      '}',
    );
  } else {
    bean.push(
      ...indent(body, 4),
      '    Map<String, CorsConfiguration> policies = Map.of(',
      ...plan.policies.map(
        (p, i) => `        ${java(p.id)}, ${camel(p.id)}${i < plan.policies.length - 1 ? ',' : ''}`,
      ),
      '    );',
      '    // The raw request URI, not the decoded path: escaped variants get no CORS.',
      '    return request -> {',
      '        String policy = policyFor(request.getRequestURI());',
      '        return policy == null ? null : policies.get(policy);',
      '    };',
      '}',
      '',
      '/** Which policy each path gets, first match wins; null for no CORS. */',
      'private static final Object[][] ROUTES = {',
      ...plan.routes.flatMap((r) => [
        `    // ${r.note}`,
        `    { Pattern.compile(${javaRegex(r.path)}), ${r.policy === null ? 'null' : java(r.policy)} },`,
      ]),
      '};',
      '',
      `private static final Pattern READABLE_PATH = Pattern.compile(${javaRegex(READABLE_PATH)});`,
      '',
      'static String policyFor(String path) {',
      '    if (!READABLE_PATH.matcher(path).matches()) return null;',
      '    for (Object[] route : ROUTES) {',
      '        if (((Pattern) route[0]).matcher(path).matches()) return (String) route[1];',
      '    }',
      `    return ${plan.fallback === null ? 'null' : java(plan.fallback)};`,
      '}',
    );
  }
  const config = [
    ...header,
    ...imports,
    '',
    '@Configuration',
    'public class CorsConfig {',
    '',
    ...indent(bean, 4),
    '}',
    '',
  ].join('\n');
  return { config, fileName: FILE_NAME, warnings };
}

/** A Java string literal of a regex; `(?i)` works in java.util.regex as written. */
function javaRegex(regex: string): string {
  return JSON.stringify(regex);
}

/** The Java variable of a policy: `defaultCors`, `path2Cors` (never a keyword like `default`). */
function camel(id: string): string {
  const parts = id.split('_').filter((p) => p !== '');
  const name = parts.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join('');
  return `${name}Cors`;
}

/** Spring's CorsConfigurationSource. */
export const spring: Target = {
  name: 'spring',
  summary: 'a Spring CorsConfigurationSource bean (CorsConfig.java)',
  generate,
};
