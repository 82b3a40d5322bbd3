/**
 * Reads a project's settings file and torch pin from disk, using the core's pure parsers.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DEFAULT_PROJECT_SETTINGS,
  parseSettingsFile,
  SETTINGS_FILE_NAMES,
  torchVersionFromPyproject,
  torchVersionFromRequirements,
  type ProjectSettings,
  type VersionEvidence,
} from '../core/index';

/** A project's settings, where they came from, and the torch version it pins. */
export interface ProjectConfig {
  readonly settings: ProjectSettings;
  /** The settings file read, when there was one. */
  readonly settingsFile?: string;
  readonly torchVersion?: VersionEvidence;
}

/**
 * The configuration of the project rooted at `folder`: `configFile` when given, else the first of
 * `normlens.json` and `pyproject.toml` (with `[tool.normlens]`) in `folder`. The torch pin comes
 * from `folder`'s requirements.txt, then its pyproject.toml, then the settings' `torchVersion`.
 * Throws the core's `SettingsError` for a malformed file.
 */
export async function loadProjectConfig(
  folder: string,
  configFile?: string,
): Promise<ProjectConfig> {
  const found = configFile === undefined ? await findSettings(folder) : await read(configFile);
  if (configFile !== undefined && found === undefined) {
    throw new Error(`cannot read the settings file ${configFile}`);
  }
  const settings = found?.settings ?? DEFAULT_PROJECT_SETTINGS;
  const torchVersion = (await torchPinIn(folder)) ?? fromSettings(settings);
  return {
    settings,
    ...(found ? { settingsFile: found.file } : {}),
    ...(torchVersion ? { torchVersion } : {}),
  };
}

async function findSettings(
  folder: string,
): Promise<{ file: string; settings: ProjectSettings } | undefined> {
  for (const name of SETTINGS_FILE_NAMES) {
    const found = await read(path.join(folder, name));
    if (found) {
      return found;
    }
  }
  return undefined;
}

/** The settings in `file`; undefined when it is missing or holds none (a plain pyproject). */
async function read(
  file: string,
): Promise<{ file: string; settings: ProjectSettings } | undefined> {
  const text = await readText(file);
  const settings = text === undefined ? undefined : parseSettingsFile(file, text);
  return settings ? { file, settings } : undefined;
}

async function torchPinIn(folder: string): Promise<VersionEvidence | undefined> {
  const requirements = path.join(folder, 'requirements.txt');
  const requirementsText = await readText(requirements);
  const pinned =
    requirementsText === undefined
      ? undefined
      : torchVersionFromRequirements(requirementsText, requirements);
  if (pinned) {
    return pinned;
  }
  const pyproject = path.join(folder, 'pyproject.toml');
  const pyprojectText = await readText(pyproject);
  return pyprojectText === undefined
    ? undefined
    : torchVersionFromPyproject(pyprojectText, pyproject);
}

function fromSettings(settings: ProjectSettings): VersionEvidence | undefined {
  return settings.torchVersion === undefined
    ? undefined
    : { version: settings.torchVersion, origin: 'settings' };
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    // A missing file simply means "not configured"; anything else is worth reporting.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}
