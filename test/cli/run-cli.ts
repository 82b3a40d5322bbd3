/**
 * Runs the built CLI (`dist/cli.js`) in a child process, as a user or CI would.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

/** What one run printed and how it exited. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `normlens <args>` in `cwd`; colour is off unless `env` turns it on. */
export function run(
  args: readonly string[],
  cwd = ROOT,
  env: Readonly<Record<string, string>> = {},
  cli = CLI,
): CliRun {
  // The caller's own colour settings must not leak into the output under test.
  const inherited = { ...process.env };
  delete inherited['NO_COLOR'];
  delete inherited['FORCE_COLOR'];
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...inherited, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
