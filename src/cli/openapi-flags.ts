/**
 * The `--openapi` flags `check` and `audit` share. Apart from the modules that run them, so that
 * registering the commands never loads the description parser.
 */

export interface OpenApiFlags {
  openapi?: string;
  baseUrl?: string;
  include?: string[];
  exclude?: string[];
  rate?: number;
}

/** Collects a repeatable option into a list. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
