/**
 * The architecture, checked: the arrows between the parts that must never be, read from every
 * import of every source file. A new file is covered the day it is added; a broken rule names the
 * file, the import and the rule it breaks.
 *
 *   spec  <-  policy  <-  adapters                    (the corsproof package)
 *   spec  <-  check   <-  audit  <-  service           (the tools)
 *   cli and web on top; generate, conform and import between the library and the CLI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LIB = 'packages/corsproof/src';

interface Import {
  readonly file: string;
  /** As written. */
  readonly specifier: string;
  /** Root-relative path without extension, for relative imports; the package name otherwise. */
  readonly target: string;
  readonly typeOnly: boolean;
}

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(path.join(ROOT, at), { withFileTypes: true })) {
      const rel = `${at}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(rel);
      } else if (/\.tsx?$/.test(entry.name) && !/\.test(-d)?\.tsx?$/.test(entry.name)) {
        out.push(rel);
      }
    }
  };
  walk(dir);
  return out;
}

const IMPORT =
  /^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+'([^']+)'|^\s*import\s+'([^']+)'|import\('([^']+)'\)/gm;

function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const specifier = (m[3] ?? m[4] ?? m[5]) as string;
    const target = specifier.startsWith('.')
      ? path.posix.join(path.posix.dirname(file), specifier).replace(/\.(js|ts|tsx)$/, '')
      : specifier;
    out.push({ file, specifier, target, typeOnly: m[2] !== undefined });
  }
  return out;
}

const LIBRARY = sourcesUnder(LIB);
const TOOLS = sourcesUnder('src');
const ALL = [...LIBRARY, ...TOOLS].flatMap(importsOf);

/** The part a root-relative path belongs to: `spec`, `policy`, `adapters/node`, `check`, ... */
function partOf(target: string): string | null {
  if (target.startsWith(`${LIB}/`)) {
    const [part, sub] = target.slice(LIB.length + 1).split('/');
    if (part === 'adapters') return `adapters/${sub}`;
    return part === 'index' ? 'library' : (part ?? null);
  }
  if (target.startsWith('src/')) return target.split('/')[1] ?? null;
  return null;
}

function isPackage(i: Import): boolean {
  return !i.specifier.startsWith('.');
}

/** The imports of files in `part` that break `allowed`, formatted for the failure message. */
function breaking(part: (p: string) => boolean, allowed: (i: Import) => boolean): string[] {
  return ALL.filter((i) => {
    const from = partOf(i.file);
    return from !== null && part(from) && !allowed(i);
  }).map((i) => `${i.file} imports '${i.specifier}'`);
}

describe('the architecture', () => {
  it('reads imports from every source file (the rules below are not vacuous)', () => {
    expect(LIBRARY.length).toBeGreaterThan(40);
    expect(TOOLS.length).toBeGreaterThan(80);
    expect(ALL.length).toBeGreaterThan(500);
  });

  it('spec knows no configuration, network or framework: only spec and the public suffix list', () => {
    const allowed = (i: Import) =>
      (!isPackage(i) && partOf(i.target) === 'spec') || i.specifier === 'tldts';
    expect(breaking((p) => p === 'spec', allowed)).toEqual([]);
  });

  it('policy knows no framework and does no I/O: only spec and policy', () => {
    const allowed = (i: Import) =>
      !isPackage(i) && ['spec', 'policy'].includes(partOf(i.target) ?? '');
    expect(breaking((p) => p === 'policy', allowed)).toEqual([]);
  });

  it('adapters translate for one framework each, on policy and spec', () => {
    const allowed = (i: Import) => {
      if (isPackage(i)) return true; // node: builtins and the adapter's own framework
      const to = partOf(i.target) ?? '';
      // The request readers of node and fetch are shared by the frameworks built on them.
      return (
        ['spec', 'policy', 'adapters/node', 'adapters/fetch'].includes(to) || partOf(i.file) === to
      );
    };
    expect(breaking((p) => p.startsWith('adapters/'), allowed)).toEqual([]);
  });

  it('the library imports nothing of the tools', () => {
    const out = ALL.filter((i) => i.file.startsWith(LIB) && i.target.startsWith('src/'));
    expect(out.map((i) => `${i.file} imports '${i.specifier}'`)).toEqual([]);
  });

  it('the tools reach the library only through its package entry points', () => {
    const entries = new Set(
      Object.keys(
        JSON.parse(readFileSync(path.join(ROOT, 'packages/corsproof/package.json'), 'utf8'))
          .exports,
      ).map((key) => (key === '.' ? 'corsproof' : `corsproof/${key.slice(2)}`)),
    );
    const out = ALL.filter(
      (i) =>
        i.file.startsWith('src/') &&
        (i.target.startsWith('packages/') ||
          (i.specifier.startsWith('corsproof') && !entries.has(i.specifier))),
    );
    expect(out.map((i) => `${i.file} imports '${i.specifier}'`)).toEqual([]);
  });

  it('server and client share only spec: the checker imports no policy and no adapter', () => {
    const allowed = (i: Import) =>
      !(i.specifier === 'corsproof' || /^corsproof\/(?!spec$)/.test(i.specifier));
    expect(breaking((p) => p === 'check', allowed)).toEqual([]);
  });

  it('no library part imports the service or the CLI', () => {
    const library = [
      'check',
      'audit',
      'targets',
      'generate',
      'conform',
      'import',
      'openapi',
      'explain',
    ];
    const allowed = (i: Import) => !['service', 'cli'].includes(partOf(i.target) ?? '');
    expect(breaking((p) => library.includes(p), allowed)).toEqual([]);
  });

  it('code outside check/ and audit/ imports only their index.ts (and check/surface.ts)', () => {
    const entries = new Set(['src/check/index', 'src/check/surface', 'src/audit/index']);
    const out = ALL.filter((i) => {
      const to = partOf(i.target);
      const from = partOf(i.file);
      return (to === 'check' || to === 'audit') && from !== to && !entries.has(i.target);
    });
    expect(out.map((i) => `${i.file} imports '${i.specifier}'`)).toEqual([]);
  });

  describe('emulations of server-side checkers (src/check/emulations/) plug into the checker', () => {
    const EMULATIONS = 'src/check/emulations';
    const vendors = readdirSync(path.join(ROOT, EMULATIONS), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    const core = TOOLS.filter((f) => f.startsWith('src/check/') && !f.startsWith(`${EMULATIONS}/`));

    it('reads the vendors from their folders (the rules below are not vacuous)', () => {
      expect(vendors).toContain('galxe');
      expect(core.length).toBeGreaterThan(20);
    });

    it('no file of the browser-exact core names a vendor', () => {
      const out: string[] = [];
      for (const file of core) {
        const text = readFileSync(path.join(ROOT, file), 'utf8');
        for (const vendor of vendors) {
          if (new RegExp(`\\b${vendor}`, 'i').test(text)) out.push(`${file} names ${vendor}`);
        }
      }
      expect(out).toEqual([]);
    });

    it('the core reaches an emulation only through the registry, the catalog or the interface', () => {
      const out = ALL.filter(
        (i) =>
          core.includes(i.file) && vendors.some((v) => i.target.startsWith(`${EMULATIONS}/${v}/`)),
      );
      expect(out.map((i) => `${i.file} imports '${i.specifier}'`)).toEqual([]);
    });
  });

  it('every adapter folder has its package export, and every export its folder', () => {
    const folders = readdirSync(path.join(ROOT, LIB, 'adapters'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `./${d.name}`)
      .sort();
    const exports = Object.keys(
      JSON.parse(readFileSync(path.join(ROOT, 'packages/corsproof/package.json'), 'utf8')).exports,
    ).filter((key) => !['.', './spec', './package.json'].includes(key));
    expect(exports.sort()).toEqual(folders);
  });

  it('an index.ts only re-exports (an adapter’s index is the adapter), and none re-exports a _file', () => {
    const indexes = [...LIBRARY, ...TOOLS].filter(
      (f) => f.endsWith('/index.ts') && !f.includes('/adapters/'),
    );
    const out: string[] = [];
    for (const file of indexes) {
      const code = readFileSync(path.join(ROOT, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '')
        .trim();
      const statements = code.split(/;\s*\n/).filter((s) => s.trim() !== '');
      for (const s of statements) {
        if (!/^\s*(export|import)\b/.test(s)) out.push(`${file}: ${s.trim().split('\n')[0]}`);
        if (/from '\.\/_[^']*'/.test(s) && /^\s*export/.test(s))
          out.push(`${file} re-exports ${s}`);
      }
    }
    expect(out).toEqual([]);
  });
});
