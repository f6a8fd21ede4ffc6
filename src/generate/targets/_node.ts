/**
 * What the targets built on corsproof's own adapters (express, fastify, koa, hono, workers) write
 * alike: a policy as a readable JavaScript object literal, the registry and path table of a policy
 * file, and the files of a standalone example server. The adapters run the policy engine itself,
 * so these configurations are exact by construction: nothing is translated, only written out.
 */
import type { CorsPolicy, PolicyFile } from 'corsproof';
import { isLoopbackHost, isPublicSuffix } from 'corsproof/spec';
import {
  type GeneratedFile,
  GenerateError,
  type GenerateResult,
  type StandaloneOptions,
  type Target,
  type TargetName,
} from '../target.js';

/** A JavaScript value the literal writer knows. */
type JsValue = string | number | boolean | null | readonly JsValue[] | { [key: string]: JsValue };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A string as a single-quoted JavaScript literal. */
export function jsString(text: string): string {
  return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/**
 * `value` as JavaScript source in the house style (two-space indent, single quotes, trailing
 * commas), short arrays of scalars kept on one line.
 */
export function jsLiteral(value: JsValue, indent = ''): string {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' ? jsString(value) : String(value);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((v) => jsLiteral(v, inner));
    const oneLine = `[${items.join(', ')}]`;
    if (items.length === 0 || (oneLine.length + indent.length <= 90 && !oneLine.includes('\n'))) {
      return oneLine;
    }
    return `[\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, JsValue>);
  if (entries.length === 0) return '{}';
  const lines = entries.map(
    ([k, v]) => `${inner}${IDENTIFIER.test(k) ? k : jsString(k)}: ${jsLiteral(v, inner)},`,
  );
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/**
 * The options that compile to `policy` again, defaults left out. The `dangerouslyAllow*` opt-ins
 * are not kept by the compiled policy, so they are written back exactly where it needs them.
 */
export function policyOptions(target: TargetName, policy: CorsPolicy, where: string): JsValue {
  const c = policy.config;
  if (typeof c.origins === 'function') {
    throw new GenerateError(
      target,
      'predicate-not-expressible',
      `${where}.origins`,
      'an origins function cannot be written into a configuration file',
      'list the origins (patterns like https://*.example.com are allowed), or keep the function in your own code and pass it to the adapter',
    );
  }
  const json = policy.toJSON();
  const out: Record<string, JsValue> = { origins: json.origins as JsValue };
  if (c.credentials) out.credentials = true;
  if (c.methods === '*' || c.methods.length > 0) out.methods = c.methods;
  if (c.requestHeaders === '*' || c.requestHeaders.length > 0) {
    out.requestHeaders = c.requestHeaders;
  }
  if (c.exposeHeaders === '*' || c.exposeHeaders.length > 0) out.exposeHeaders = c.exposeHeaders;
  if (c.maxAge !== null) out.maxAge = c.maxAge;
  if (c.privateNetwork) out.privateNetwork = true;
  if (c.preflightStatus !== 204) out.preflightStatus = c.preflightStatus;
  if (c.logger !== null) out.debug = true;
  if (c.credentials && Array.isArray(c.origins)) {
    if (c.origins.some((s) => s.scheme === 'http' && !isLoopbackHost(s.host))) {
      out.dangerouslyAllowInsecureOrigins = true;
    }
    if (c.origins.some((s) => s.kind === 'pattern' && s.anySubdomain && isPublicSuffix(s.host))) {
      out.dangerouslyAllowPublicSuffixWildcards = true;
    }
  }
  return out;
}

/** How a policy file is written for an adapter. */
export interface NodePolicies {
  /** One policy and nothing else: `cors(policy)` is enough. */
  readonly single: JsValue | null;
  /** `{ default?, policies? }` for `corsPolicies(...)`, or null when `single`. */
  readonly registry: { [key: string]: JsValue } | null;
  /** The path table for `.paths(...)`, or null when the file has none. */
  readonly paths: { [key: string]: JsValue } | null;
}

/** The policy file as the adapters' `corsPolicies` registry and path table take it. */
export function nodePolicies(target: TargetName, file: PolicyFile): NodePolicies {
  const options = (p: CorsPolicy | null, where: string): JsValue =>
    p === null ? false : policyOptions(target, p, where);
  if (file.policies.size === 0 && file.paths.length === 0) {
    return {
      single: file.default === null ? null : options(file.default, 'default'),
      registry: file.default === null ? {} : null,
      paths: null,
    };
  }
  const registry: { [key: string]: JsValue } = {};
  if (file.default !== null) registry.default = options(file.default, 'default');
  if (file.policies.size > 0) {
    const named: { [key: string]: JsValue } = {};
    for (const [name, p] of file.policies) named[name] = options(p, `policies.${name}`);
    registry.policies = named;
  }
  if (file.paths.length === 0) return { single: null, registry, paths: null };
  const paths: { [key: string]: JsValue } = {};
  for (const rule of file.paths) {
    const c = rule.choice;
    paths[rule.pattern] =
      c.kind === 'none'
        ? false
        : c.kind === 'named'
          ? c.name
          : policyOptions(target, c.policy, `paths[${JSON.stringify(rule.pattern)}]`);
  }
  return { single: null, registry, paths };
}

/** The opening comment of every generated module. */
export function moduleHeader(
  target: TargetName,
  framework: string,
  usage: readonly string[],
): string {
  return [
    `// CORS for ${framework}, generated by \`corsproof generate --for ${target}\` from a policy file.`,
    "// It runs corsproof's own policy engine, so it answers exactly as the policy decides. Edit the",
    '// policy file and generate again rather than editing this file; `corsproof conform` checks a',
    '// running server against the policy.',
    '//',
    ...usage.map((line) => (line === '' ? '//' : `//   ${line}`)),
    '',
  ].join('\n');
}

/**
 * The factory expression for express, koa, hono and fetch: `cors(policy)` for one policy,
 * `corsPolicies({...}).paths({...})` for several.
 */
export function factoryModule(
  target: TargetName,
  specifier: string,
  header: string,
  exportName: string,
  file: PolicyFile,
): string {
  const { single, registry, paths } = nodePolicies(target, file);
  if (single !== null) {
    return [
      header,
      `import { cors } from '${specifier}';`,
      '',
      `export const policy = ${jsLiteral(single)};`,
      '',
      `export const ${exportName} = cors(policy);`,
      '',
    ].join('\n');
  }
  const chosen =
    paths === null
      ? registry !== null && 'default' in registry
        ? 'policies()'
        : 'policies.none()'
      : `policies.paths(${jsLiteral(paths)})`;
  return [
    header,
    `import { corsPolicies } from '${specifier}';`,
    '',
    `export const policies = corsPolicies(${jsLiteral(registry ?? {})});`,
    '',
    '// First match wins, in the order written; other paths get the default policy.',
    `export const ${exportName} = ${chosen};`,
    '',
  ].join('\n');
}

/** The response header names the file exposes, set on every example response. */
export function exposedHeaderNames(file: PolicyFile): string[] {
  const all = [
    file.default,
    ...file.policies.values(),
    ...file.paths.map((r) => (r.choice.kind === 'inline' ? r.choice.policy : null)),
  ];
  const names = new Set<string>();
  for (const p of all) {
    const expose = p?.config.exposeHeaders;
    if (Array.isArray(expose)) for (const n of expose) names.add(n);
  }
  return [...names];
}

/** The body every example path answers with. */
export const EXAMPLE_BODY = 'corsproof example: ok\n';

/** The packages a standalone example imports, for its package.json. */
const VERSIONS: Readonly<Record<string, string>> = {
  corsproof: '^0.1.0',
  cors: '^2.8.5',
  express: '^5.0.0',
  fastify: '^5.0.0',
  koa: '^3.0.0',
  hono: '^4.0.0',
  '@hono/node-server': '^2.1.0',
};

/**
 * The `run` script. The example imports `corsproof/...` and its framework by package name, and
 * Node's ESM resolver only looks in `node_modules` folders (it ignores NODE_PATH), so `run` makes
 * one beside `server.mjs` when there is none: links to every package of the folder named by
 * `CORSPROOF_NODE_MODULES` (a project's `node_modules`; in a clone of corsproof, its own, where
 * `corsproof` is the workspace link to packages/corsproof and its build), or else `npm install`.
 */
function runScript(): string {
  return [
    '#!/bin/sh',
    '# Starts the example server in the foreground; stop it with Ctrl-C.',
    '# Packages come from ./node_modules, else from $CORSPROOF_NODE_MODULES, else npm install.',
    'set -e',
    'cd "$(dirname "$0")"',
    'if [ ! -e node_modules ]; then',
    '  if [ -n "$CORSPROOF_NODE_MODULES" ]; then',
    '    mkdir node_modules',
    '    for entry in "$CORSPROOF_NODE_MODULES"/* "$CORSPROOF_NODE_MODULES"/.bin; do',
    '      if [ -e "$entry" ]; then ln -s "$entry" node_modules/; fi',
    '    done',
    '  else',
    '    npm install --no-audit --no-fund --silent',
    '  fi',
    'fi',
    'exec node server.mjs',
    '',
  ].join('\n');
}

/** The files of a standalone example: the configuration, `server.mjs`, package.json and `run`. */
export function standaloneFiles(
  config: { fileName: string; contents: string },
  server: string,
  packages: readonly string[],
): GeneratedFile[] {
  const dependencies = Object.fromEntries(packages.map((p) => [p, VERSIONS[p] ?? '*']));
  const pkg = { private: true, type: 'module', dependencies };
  return [
    { path: config.fileName, contents: config.contents },
    { path: 'server.mjs', contents: server },
    { path: 'package.json', contents: `${JSON.stringify(pkg, null, 2)}\n` },
    { path: 'run', contents: runScript(), executable: true },
  ];
}

/** The listening lines every example ends with. */
export function listenMessage(target: TargetName): string {
  return `console.log(\`corsproof example (${target}) listening on http://127.0.0.1:\${PORT}\`);`;
}

/** An Express app answering every path with `corsMiddleware` from `fileName` mounted first. */
export function expressServer(
  target: TargetName,
  fileName: string,
  file: PolicyFile,
  port: number,
): string {
  return `// An Express app answering every path, with the generated CORS middleware.
import express from 'express';
import { corsMiddleware } from './${fileName}';

const PORT = ${port};
const EXPOSED = ${jsLiteral(exposedHeaderNames(file))};

const app = express();
app.use(corsMiddleware);
app.use((req, res) => {
  for (const name of EXPOSED) res.setHeader(name, 'example');
  res.type('text/plain').send(${jsLiteral(EXAMPLE_BODY)});
});
app.listen(PORT, '127.0.0.1', () => {
  ${listenMessage(target)}
});
`;
}

/** What differs between the targets that mount one of corsproof's middleware factories. */
export interface MiddlewareTargetSpec {
  readonly name: TargetName;
  readonly summary: string;
  /** The framework as comments name it. */
  readonly framework: string;
  /** `corsproof/express`, ... */
  readonly specifier: string;
  /** What the module exports: `corsMiddleware`, `withCorsPolicy`. */
  readonly exportName: string;
  /** How to use the module, for its opening comment. */
  readonly usage: readonly string[];
  /** The packages the example imports. */
  readonly packages: readonly string[];
  /** The example's `server.mjs`, and any other files it needs. */
  example(file: PolicyFile, port: number): { server: string; more?: readonly GeneratedFile[] };
}

const CONFIG_FILE = 'cors.mjs';

/** A target writing `cors.mjs` with the factory of one of corsproof's adapters. */
export function middlewareTarget(spec: MiddlewareTargetSpec): Target {
  const generate = (file: PolicyFile): GenerateResult => ({
    config: factoryModule(
      spec.name,
      spec.specifier,
      moduleHeader(spec.name, spec.framework, spec.usage),
      spec.exportName,
      file,
    ),
    fileName: CONFIG_FILE,
    warnings: [],
  });
  return {
    name: spec.name,
    summary: spec.summary,
    generate,
    standalone(file: PolicyFile, options: StandaloneOptions): readonly GeneratedFile[] {
      const { server, more = [] } = spec.example(file, options.port);
      return [
        ...standaloneFiles(
          { fileName: CONFIG_FILE, contents: generate(file).config },
          server,
          spec.packages,
        ),
        ...more,
      ];
    },
  };
}
