/**
 * Command-line parsing for `normlens check | inventory | rules`.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { SEVERITIES, type Severity } from '../core/index';

/** The parsed `check` command. Options not given on the command line are absent. */
export interface CheckCommand {
  readonly command: 'check';
  readonly paths: readonly string[];
  readonly format: 'text' | 'json' | 'sarif';
  readonly failOn: Severity | 'none';
  /** Gitignore-style globs, relative to each checked folder, added to the settings' `exclude`. */
  readonly exclude?: readonly string[];
  /** A settings file used instead of the one found at the root of each checked path. */
  readonly config?: string;
  /** Worker threads; the default is the number of available cores. */
  readonly jobs?: number;
}

/** `normlens inventory <model>`: the normalization layers of one model. */
export interface InventoryCommand {
  readonly command: 'inventory';
  readonly model: string;
  readonly format: 'text' | 'json';
}

/** `normlens rules`: the rule catalog. */
export interface RulesCommand {
  readonly command: 'rules';
  readonly format: 'text' | 'json';
}

/** `--help`. */
export interface HelpCommand {
  readonly command: 'help';
}

/** `--version`. */
export interface VersionCommand {
  readonly command: 'version';
}

/** Any parsed command line. */
export type Command = CheckCommand | InventoryCommand | RulesCommand | HelpCommand | VersionCommand;

/** A usage error, with the message to print. */
export class UsageError extends Error {}

export const USAGE = `Usage:
  normlens check <paths…> [options]     find normalization layers and risky choices
  normlens inventory <model.onnx|model.json> [--format text|json]
                                        list a model's normalization layers
  normlens rules [--format text|json]   list the rules with their documentation
  normlens --help | --version

Options of check:
  --format text|json|sarif   output format (default text; sarif for GitHub code scanning)
  --fail-on error|warning|info|hint|none
                             exit 1 when a finding is at least this severe (default error)
  --exclude <glob>           skip matching paths (gitignore syntax; repeatable)
  --config <file>            settings file (default: normlens.json or pyproject.toml
                             [tool.normlens] at the root of each checked folder)
  --jobs <n>                 worker threads (default: available cores, ${availableParallelism()} here)

Folders are walked for .py, .js/.ts/.mjs/.cjs/.tsx, model.json and .onnx files, skipping what
.gitignore files ignore. Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 usage,
settings or I/O error, or a file that could not be analysed.`;

const FORMATS_OF_CHECK = ['text', 'json', 'sarif'] as const;

/** Parses `argv` (without the node and script entries). */
export function parseCommandLine(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'fail-on': { type: 'string', default: 'error' },
        exclude: { type: 'string', multiple: true },
        config: { type: 'string' },
        jobs: { type: 'string', short: 'j' },
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
  const [command, ...rest] = positionals;
  switch (command) {
    case 'check':
      return checkCommand(rest, values);
    case 'inventory': {
      const [model, ...extra] = rest;
      if (model === undefined || extra.length > 0) {
        throw new UsageError('inventory needs exactly one model file');
      }
      return { command: 'inventory', model, format: textOrJson(values.format) };
    }
    case 'rules':
      if (rest.length > 0) {
        throw new UsageError('rules takes no paths');
      }
      return { command: 'rules', format: textOrJson(values.format) };
    case undefined:
      throw new UsageError('missing command');
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

interface OptionValues {
  format: string;
  'fail-on': string;
  exclude?: string[] | undefined;
  config?: string | undefined;
  jobs?: string | undefined;
}

function checkCommand(paths: readonly string[], values: OptionValues): CheckCommand {
  if (paths.length === 0) {
    throw new UsageError('check needs at least one path');
  }
  const format = values.format;
  if (!(FORMATS_OF_CHECK as readonly string[]).includes(format)) {
    throw new UsageError(
      `--format must be text or json for findings, or sarif for code scanning; not '${format}'`,
    );
  }
  const failOn = values['fail-on'];
  if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(
      `--fail-on must be one of ${SEVERITIES.join(', ')}, none; not '${failOn}'`,
    );
  }
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) {
    throw new UsageError(`--jobs must be a whole number of at least 1, not '${values.jobs}'`);
  }
  return {
    command: 'check',
    paths,
    format: format as CheckCommand['format'],
    failOn: failOn as Severity | 'none',
    ...(values.exclude && values.exclude.length > 0 ? { exclude: values.exclude } : {}),
    ...(values.config === undefined ? {} : { config: values.config }),
    ...(jobs === undefined ? {} : { jobs }),
  };
}

function textOrJson(format: string): 'text' | 'json' {
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--format must be text or json here, not '${format}'`);
  }
  return format;
}
