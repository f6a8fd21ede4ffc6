/**
 * What every `corsproof generate` target implements: a policy file in, a configuration for one
 * server out, never looser than the policy. Targets are pure (no I/O); the CLI writes the files.
 */
import type { PolicyFile } from 'corsproof';

/** The servers corsproof writes configuration for. */
export type TargetName =
  | 'nginx'
  | 'apache'
  | 'caddy'
  | 'haproxy'
  | 'flask'
  | 'django'
  | 'fastapi'
  | 'aspnetcore'
  | 'spring'
  | 'express'
  | 'fastify'
  | 'koa'
  | 'hono'
  | 'workers'
  | 'cors'
  | 's3';

/**
 * A way the generated configuration differs from the policy. The difference is always in the
 * stricter direction (a request the policy allows may be refused, never the reverse).
 */
export interface GenerateWarning {
  /** Stable kebab-case id, e.g. `vary-not-controllable`. */
  readonly code: string;
  /** Where in the policy file (`policies.partners.maxAge`, `paths["/api/*"]`); '' for the whole file. */
  readonly path: string;
  /** What differs and what the server will do instead, in one or two sentences. */
  readonly message: string;
}

/** A file written by `--standalone` (or the main configuration itself). */
export interface GeneratedFile {
  /** Relative to the output directory, with `/` separators. */
  readonly path: string;
  readonly contents: string;
  /** `true` for the `run` script. */
  readonly executable?: boolean;
}

export interface GenerateResult {
  /** The configuration as the user pastes it or `--out` writes it: commented, idiomatic. */
  readonly config: string;
  /** The file name `--out` would suggest (`cors.conf`, `cors_settings.py`). */
  readonly fileName: string;
  readonly warnings: readonly GenerateWarning[];
}

export interface StandaloneOptions {
  /** Loopback port the example server listens on; default 8080. */
  readonly port: number;
}

/**
 * Thrown when the policy cannot be expressed for a target without loosening it: names what, where
 * in the file, and how to change the policy.
 */
export class GenerateError extends Error {
  override readonly name = 'GenerateError';
  constructor(
    readonly target: TargetName,
    /** Stable kebab-case id, e.g. `predicate-not-expressible`. */
    readonly code: string,
    /** Where in the policy file. */
    readonly path: string,
    reason: string,
    readonly fix: string,
  ) {
    super(
      `corsproof: cannot generate ${target} configuration${path === '' ? '' : ` for ${path}`}: ${reason}. Fix: ${fix}`,
    );
  }
}

export interface Target {
  readonly name: TargetName;
  /** One line for `corsproof generate --help`. */
  readonly summary: string;
  generate(file: PolicyFile): GenerateResult;
  /**
   * A complete runnable example server with the generated configuration in it unchanged, every
   * path answering 200 with a short body for GET, HEAD, POST, PUT, PATCH and DELETE, and an
   * executable `run` that starts it in the foreground on 127.0.0.1:port with the system's own
   * binary. Absent for targets that cannot run on one machine (aspnetcore, spring, s3).
   */
  standalone?(file: PolicyFile, options: StandaloneOptions): readonly GeneratedFile[];
}
