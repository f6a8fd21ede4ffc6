/**
 * The files every Python example server has: the generated configuration unchanged, the app, and a
 * `run` script that starts it in the foreground with the system's Python, where Debian installs
 * Flask-CORS, django-cors-headers and FastAPI (`/usr/bin/python3`, not a virtualenv's).
 */
import type { GeneratedFile } from '../target.js';

/** The interpreter the example servers run on. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * The configuration file, the app's files, and `run` (`python3 <args>` from the directory).
 *
 * @example
 * pythonAppFiles('cors_settings.py', config, [{ path: 'app.py', contents }], 'app.py')
 */
export function pythonAppFiles(
  configName: string,
  config: string,
  files: readonly GeneratedFile[],
  pythonArgs: string,
): GeneratedFile[] {
  const run = [
    '#!/bin/sh',
    '# Starts the example server in the foreground; Ctrl-C stops it.',
    'cd "$(dirname "$0")" || exit 1',
    'export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1',
    `exec ${SYSTEM_PYTHON} ${pythonArgs}`,
    '',
  ].join('\n');
  return [
    { path: configName, contents: config },
    ...files,
    { path: 'run', contents: run, executable: true },
  ];
}
