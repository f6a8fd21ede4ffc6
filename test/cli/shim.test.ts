/**
 * bin/corsproof.js picks the CLI's entry: a subcommand's own bundle when the marker lists it, the
 * split bundle's main.js otherwise, and dist/cli's modules when the bundle is stale. Run here in a
 * copy of the tree whose three entries only say which one ran.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './build-cli.js';

let dir = '';

/** An entry whose main() prints its name and exits 0. */
const entry = (name: string) =>
  `export async function main() { process.stdout.write(${JSON.stringify(name)}); return 0; }\n`;

async function writeMarker(builtFrom: string, ...own: string[]): Promise<void> {
  await writeFile(
    path.join(dir, 'dist', 'cli-bundle', 'built-from'),
    [builtFrom, ...own].join('\n'),
  );
}

async function modulesTime(): Promise<string> {
  return String((await stat(path.join(dir, 'dist', 'cli', 'main.js'), { bigint: true })).mtimeNs);
}

function runShim(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(dir, 'bin', 'corsproof.js'), ...args], (error, stdout) =>
      error === null ? resolve(stdout) : reject(error),
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'corsproof-shim-'));
  for (const sub of ['bin', 'dist/cli', 'dist/cli-bundle']) {
    await mkdir(path.join(dir, sub), { recursive: true });
  }
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }');
  await copyFile(path.join(ROOT, 'bin', 'corsproof.js'), path.join(dir, 'bin', 'corsproof.js'));
  await writeFile(path.join(dir, 'dist', 'cli', 'main.js'), entry('modules'));
  await writeFile(path.join(dir, 'dist', 'cli-bundle', 'main.js'), entry('bundle'));
  await writeFile(path.join(dir, 'dist', 'cli-bundle', 'main-check.js'), entry('check bundle'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the corsproof shim', () => {
  it("runs a subcommand's own bundle when the marker lists it", async () => {
    await writeMarker(await modulesTime(), 'check');
    expect(
      await runShim('check', 'https://api.example.com/', '--origin', 'https://a.example'),
    ).toBe('check bundle');
    expect(await runShim('--no-color', 'check', '--help')).toBe('check bundle');
    expect(await runShim('help', 'check')).toBe('check bundle');
  });

  it('runs the split bundle for every other subcommand and for none', async () => {
    await writeMarker(await modulesTime(), 'check');
    expect(await runShim('audit', 'https://api.example.com/')).toBe('bundle');
    expect(await runShim('--version')).toBe('bundle');
    expect(await runShim()).toBe('bundle');
  });

  it('runs the split bundle for a subcommand the marker does not list', async () => {
    await writeMarker(await modulesTime());
    expect(await runShim('check', 'https://api.example.com/')).toBe('bundle');
  });

  it("runs dist/cli's modules when the bundle is stale or its marker is missing", async () => {
    await writeMarker('1', 'check');
    expect(await runShim('check', 'https://api.example.com/')).toBe('modules');
    await rm(path.join(dir, 'dist', 'cli-bundle', 'built-from'));
    expect(await runShim('--version')).toBe('modules');
  });
});
