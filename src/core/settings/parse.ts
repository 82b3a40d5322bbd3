/**
 * Reads project settings from `normlens.json` or the `[tool.normlens]` table of `pyproject.toml`.
 * Pure text in, typed settings out: the CLI, the desktop and the web extension share it.
 */
import { parse as parseToml, TomlError, type TomlTableWithoutBigInt } from 'smol-toml';
import { lineAndColumn, lineOfKeyPath, SettingsError } from './errors';
import { settingsFromValue, SettingsProblem, type ProjectSettings } from './project-settings';

/** Settings file names in the order a folder is searched; the first one holding settings wins. */
export const SETTINGS_FILE_NAMES: readonly string[] = ['normlens.json', 'pyproject.toml'];

/** Parses a `normlens.json` text. Throws {@link SettingsError} with the line of the problem. */
export function parseNormlensJson(text: string, file = 'normlens.json'): ProjectSettings {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const { line, column } = jsonErrorPosition(text, reason);
    throw new SettingsError(file, `not valid JSON: ${reason}`, line, column);
  }
  const settings = settingsFromValue(value);
  if (settings instanceof SettingsProblem) {
    throw new SettingsError(file, settings.reason, lineOfKeyPath(text, settings.keys));
  }
  return settings;
}

/**
 * Parses the `[tool.normlens]` table of a `pyproject.toml` text; undefined when it has none.
 * Throws {@link SettingsError} for invalid TOML or invalid settings.
 */
export function parsePyprojectSettings(
  text: string,
  file = 'pyproject.toml',
): ProjectSettings | undefined {
  const tool = parsePyproject(text, file)['tool'];
  const table = isTable(tool) ? tool['normlens'] : undefined;
  if (table === undefined) {
    return undefined;
  }
  const settings = settingsFromValue(table);
  if (settings instanceof SettingsProblem) {
    // Search from the section header so a same-named key elsewhere is not blamed.
    const header = text.search(/^\s*\[\s*tool\.normlens\b/m);
    const start = header < 0 ? 0 : header;
    const line = lineOfKeyPath(text, settings.keys, start);
    throw new SettingsError(file, settings.reason, line);
  }
  return settings;
}

/**
 * Parses settings from a file by its name (`normlens.json` or `pyproject.toml`); undefined for a
 * pyproject without `[tool.normlens]` or any other name.
 */
export function parseSettingsFile(file: string, text: string): ProjectSettings | undefined {
  const name = file.split(/[\\/]/).pop() ?? file;
  if (name === 'pyproject.toml') {
    return parsePyprojectSettings(text, file);
  }
  return name.endsWith('.json') ? parseNormlensJson(text, file) : undefined;
}

/** A whole `pyproject.toml` as a table; throws {@link SettingsError} for invalid TOML. */
export function parsePyproject(text: string, file = 'pyproject.toml'): TomlTableWithoutBigInt {
  try {
    return parseToml(text, { integersAsBigInt: false });
  } catch (error) {
    if (error instanceof TomlError) {
      // smol-toml appends a code excerpt to its message; the first line is the reason.
      const reason = error.message.split('\n')[0] ?? error.message;
      throw new SettingsError(file, `not valid TOML: ${reason}`, error.line, error.column);
    }
    throw error;
  }
}

/**
 * Where `JSON.parse` failed. Engines word it differently: V8 says `at position 11` (newer
 * versions add `(line 2 column 3)`), Firefox `at line 2 column 3`; without either, the end of the
 * text is the best guess for a truncated file.
 */
function jsonErrorPosition(text: string, reason: string): { line: number; column: number } {
  const lineColumn = /line (\d+) column (\d+)/.exec(reason);
  if (lineColumn) {
    return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  }
  const position = /position (\d+)/.exec(reason);
  return lineAndColumn(text, position ? Number(position[1]) : text.length);
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
