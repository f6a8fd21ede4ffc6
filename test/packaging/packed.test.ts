/**
 * Both packages as their users get them: packed with `npm pack`, unpacked into scratch apps whose
 * other dependencies are links into this checkout's node_modules (no network), and every public
 * entry point loaded with `import` from an ES module and with `require()` from CommonJS (Node >=
 * 20.19 loads ES modules with require()), then type-checked under each module resolution a
 * TypeScript project may use, and finally judged by @arethetypeswrong/cli.
 *
 * It reads the builds in dist/ (`npm test` builds first).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODULES = path.join(ROOT, 'node_modules');
const TSC = path.join(MODULES, 'typescript/bin/tsc');
const ATTW = path.join(MODULES, '@arethetypeswrong/cli/dist/index.js');

/** Every public entry point, with one export each must have. */
const ENTRIES: readonly (readonly [specifier: string, exportName: string])[] = [
  ['corsproof', 'compilePolicy'],
  ['corsproof/node', 'withCors'],
  ['corsproof/express', 'cors'],
  ['corsproof/fastify', 'corsproof'],
  ['corsproof/koa', 'cors'],
  ['corsproof/hono', 'cors'],
  ['corsproof/fetch', 'withCors'],
  ['corsproof/compat', 'default'],
  ['corsproof/spec', 'parseOrigin'],
  ['@corsproof/tools/check', 'check'],
  ['@corsproof/tools/audit', 'audit'],
];

let scratch: string;
let app: string;
const tarballs: Record<'library' | 'tools', string> = { library: '', tools: '' };

async function pack(args: readonly string[]): Promise<string> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', scratch, ...args], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [result] = JSON.parse(stdout) as { filename: string }[];
  return path.join(scratch, result!.filename);
}

async function unpack(tarball: string, into: string): Promise<void> {
  await mkdir(into, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', into, '--strip-components=1']);
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'corsproof-packed-'));
  tarballs.library = await pack(['-w', 'corsproof']);
  tarballs.tools = await pack(['--workspaces=false']);
  app = path.join(scratch, 'app');
  const modules = path.join(app, 'node_modules');
  await unpack(tarballs.library, path.join(modules, 'corsproof'));
  await unpack(tarballs.tools, path.join(modules, '@corsproof/tools'));
  // Everything else the packages (and the type checks) need, linked from this checkout.
  for (const name of await readdir(MODULES)) {
    if (name === 'corsproof' || name === '@corsproof' || name.startsWith('.')) continue;
    if (name.startsWith('@')) {
      await mkdir(path.join(modules, name), { recursive: true });
      for (const inner of await readdir(path.join(MODULES, name))) {
        await symlink(path.join(MODULES, name, inner), path.join(modules, name, inner), 'dir');
      }
    } else {
      await symlink(path.join(MODULES, name), path.join(modules, name), 'dir');
    }
  }
  await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
}, 180_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** `require('corsproof/compat')` is the middleware factory itself, as `require('cors')` is. */
const required = () =>
  `${JSON.stringify(ENTRIES)}.map(([s, e]) => [s, typeof (s === 'corsproof/compat' ? require(s) : require(s)[e])])`;

describe('the packed packages', () => {
  it('load every entry point with import from an ES module', async () => {
    await writeFile(
      path.join(app, 'esm.mjs'),
      `const load = async (s) => import(s);
       const out = [];
       for (const [s, e] of ${JSON.stringify(ENTRIES)}) out.push([s, typeof (await load(s))[e]]);
       console.log(JSON.stringify(out));`,
    );
    const { stdout, stderr } = await run(process.execPath, ['esm.mjs'], { cwd: app });
    expect(JSON.parse(stdout)).toEqual(ENTRIES.map(([s]) => [s, 'function']));
    expect(stderr).toBe('');
  });

  it.runIf(process.features.require_module)(
    'load every entry point with require() from CommonJS, without warnings',
    async () => {
      await writeFile(
        path.join(app, 'cjs.cjs'),
        `console.log(JSON.stringify(${required()}));
         console.log(typeof require('corsproof/compat'), require('corsproof/package.json').name);`,
      );
      const { stdout, stderr } = await run(process.execPath, ['cjs.cjs'], { cwd: app });
      const [entries, compat] = stdout.trim().split('\n');
      expect(JSON.parse(entries!)).toEqual(ENTRIES.map(([s]) => [s, 'function']));
      expect(compat).toBe('function corsproof');
      expect(stderr).toBe('');
    },
  );

  it('run the corsproof bin of the tools package', async () => {
    const bin = path.join(app, 'node_modules/@corsproof/tools/bin/corsproof.js');
    const { stdout } = await run(process.execPath, [bin, '--version'], { cwd: app });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  /** A TypeScript consumer of every entry point, as ESM import syntax or CommonJS require. */
  const consumer = (style: 'import' | 'require') =>
    [
      ...ENTRIES.map(([s], i) =>
        style === 'import' ? `import * as m${i} from '${s}';` : `import m${i} = require('${s}');`,
      ),
      "const policy: import('corsproof').CorsOptions = { origins: ['https://app.example.com'] };",
      'm0.compilePolicy(policy);',
      'm2.cors(policy);',
      'm6.withCors(policy, async () => new Response(null));',
      "m8.parseOrigin('https://app.example.com');",
      'export {};',
      ...ENTRIES.map((_, i) => `void m${i};`),
    ].join('\n');

  const MODES = [
    { name: 'node16, from an ES module', file: 'node16.mts', module: 'node16', style: 'import' },
    { name: 'nodenext, from an ES module', file: 'next.mts', module: 'nodenext', style: 'import' },
    { name: 'nodenext, from CommonJS', file: 'next-cjs.cts', module: 'nodenext', style: 'require' },
    {
      name: 'bundler',
      file: 'bundler.ts',
      module: 'esnext',
      resolution: 'bundler',
      style: 'import',
    },
    {
      name: 'node10 (the CommonJS default)',
      file: 'node10.ts',
      module: 'commonjs',
      resolution: 'node10',
      style: 'import',
    },
  ] as const;

  it.each(MODES)(
    'type-check under $name',
    async (mode) => {
      const file = path.join(app, mode.file);
      await writeFile(file, consumer(mode.style));
      const args = [TSC, '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2023,dom'];
      args.push('--module', mode.module, '--types', 'node', '--skipLibCheck');
      if ('resolution' in mode) args.push('--moduleResolution', mode.resolution);
      const result = await run(process.execPath, [...args, file], { cwd: app }).then(
        () => '',
        (error: { stdout: string }) => error.stdout,
      );
      expect(result).toBe('');
    },
    120_000,
  );

  it('satisfy @arethetypeswrong/cli under every resolution', async () => {
    for (const tarball of [tarballs.library, tarballs.tools]) {
      // cjs-resolves-to-esm: `require()` resolves to ES modules on purpose; Node >= 20.19 (the
      // engines of both packages) loads them, as the require() test above proves.
      const result = await run(
        process.execPath,
        [ATTW, tarball, '--format', 'ascii', '--ignore-rules', 'cjs-resolves-to-esm'],
        { cwd: scratch, maxBuffer: 16 * 1024 * 1024 },
      ).then(
        ({ stdout }) => ({ ok: true, stdout }),
        (error: { stdout: string }) => ({ ok: false, stdout: error.stdout }),
      );
      expect(result.stdout && result.ok ? 'ok' : result.stdout).toBe('ok');
    }
  }, 120_000);

  it.each([
    ['library', 'corsproof'],
    ['tools', '@corsproof/tools'],
  ] as const)(
    'ship, in the %s package, no test files and no source map without its sources',
    async (which, name) => {
      const { stdout } = await run('tar', ['-tzf', tarballs[which]]);
      const files = stdout.trim().split('\n');
      expect(files.filter((f) => /\.test(-d)?\.|\/test\//.test(f))).toEqual([]);
      for (const map of files.filter((f) => f.endsWith('.map'))) {
        const at = path.join(app, 'node_modules', name, map.replace(/^package\//, ''));
        const json = JSON.parse(await readFile(at, 'utf8')) as {
          sources: string[];
          sourcesContent?: string[];
        };
        expect(json.sourcesContent?.length, map).toBe(json.sources.length);
      }
    },
  );
});
