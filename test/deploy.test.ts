/**
 * The fleet deployment (docker-compose.yml and deploy/haproxy.cfg): Docker is not on the test
 * machines, so what can go wrong without it is checked here: the YAML, the commands each service
 * runs against the real CLI's options, and the balancer's configuration against the real HAProxy.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const document = parseDocument(readFileSync(`${root}docker-compose.yml`, 'utf8'), {
  merge: true,
});

interface Service {
  readonly build?: string;
  readonly command?: readonly string[];
  readonly environment?: Record<string, string>;
}
const services = (document.toJS({ maxAliasCount: 100 }) as { services: Record<string, Service> })
  .services;
const corsproof = Object.entries(services).filter(([, service]) => service.build === '.');

/** The long options `corsproof <sub> --help` lists. */
function optionsOf(subcommand: string): Set<string> {
  const help = execFileSync(process.execPath, [`${root}bin/corsproof.js`, subcommand, '--help'], {
    encoding: 'utf8',
  });
  return new Set(help.match(/--[a-z][a-z-]*/g) ?? []);
}

describe('docker-compose.yml', () => {
  it('is valid YAML', () => {
    expect(document.errors.map((e) => e.message)).toEqual([]);
  });

  it('runs two API instances and workers on one database and one queue', () => {
    const commands = corsproof.map(([, service]) => service.command?.[0]);
    expect(commands.filter((c) => c === 'serve')).toHaveLength(2);
    expect(commands).toContain('worker');
    for (const [name, service] of corsproof) {
      expect(service.environment?.CORSPROOF_DB, name).toMatch(/^postgres:\/\//);
      expect(service.environment?.CORSPROOF_QUEUE, name).toMatch(/^redis:\/\//);
      expect(service.environment?.CORSPROOF_SECRET_KEY, name).toBeDefined();
    }
  });

  it('gives each command only options the CLI has', () => {
    for (const [name, service] of corsproof) {
      const [subcommand, ...args] = service.command ?? [];
      expect(subcommand, name).toBeDefined();
      const known = optionsOf(subcommand as string);
      for (const arg of args.filter((a) => a.startsWith('--'))) expect(known, name).toContain(arg);
    }
  });
});

describe('deploy/haproxy.cfg', () => {
  it('passes HAProxy’s own check and probes /readyz', () => {
    const text = readFileSync(`${root}deploy/haproxy.cfg`, 'utf8');
    expect(text).toMatch(/http-check send meth GET uri \/readyz /);
    // init-addr none: the check resolves no name (the API hosts exist only in Docker's DNS).
    const run = spawnSync('haproxy', ['-c', '-f', `${root}deploy/haproxy.cfg`], {
      encoding: 'utf8',
    });
    if (run.error !== undefined && !process.env.CI) {
      console.warn(`[skip] haproxy is not installed here: ${run.error.message}`);
      return;
    }
    expect(run.status, run.stderr + run.stdout).toBe(0);
  });
});
