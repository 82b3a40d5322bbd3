/**
 * Command-line parsing for `normlens check`.
 */
import { parseArgs } from 'node:util';
import { SEVERITIES, type Severity } from '../core/index';

/** The parsed `check` command. */
export interface CheckCommand {
  readonly command: 'check';
  readonly paths: readonly string[];
  readonly format: 'text' | 'json';
  readonly failOn: Severity | 'none';
}

/** `--help`. */
export interface HelpCommand {
  readonly command: 'help';
}

/** `--version`. */
export interface VersionCommand {
  readonly command: 'version';
}

/** A usage error, with the message to print. */
export class UsageError extends Error {}

export const USAGE = `Usage: normlens check <paths…> [--format text|json] [--fail-on error|warning|info|hint|none]

Finds normalization layers in Python sources and reports risky choices.
Exit codes: 0 nothing at or above --fail-on (default: error), 1 something is, 2 usage or I/O error.`;

/** Parses `argv` (without the node and script entries). */
export function parseCommandLine(
  argv: readonly string[],
): CheckCommand | HelpCommand | VersionCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'fail-on': { type: 'string', default: 'error' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    return { command: 'help' };
  }
  if (values.version) {
    return { command: 'version' };
  }
  const [command, ...paths] = positionals;
  if (command !== 'check') {
    throw new UsageError(
      command === undefined ? 'missing command' : `unknown command '${command}'`,
    );
  }
  if (paths.length === 0) {
    throw new UsageError('check needs at least one path');
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--format must be text or json, not '${format}'`);
  }
  const failOn = values['fail-on'];
  if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(
      `--fail-on must be one of ${SEVERITIES.join(', ')}, none; not '${failOn}'`,
    );
  }
  return { command: 'check', paths, format, failOn: failOn as Severity | 'none' };
}
