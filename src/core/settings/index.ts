/**
 * Project settings (`normlens.json`, `pyproject.toml` `[tool.normlens]`) and the torch pin from
 * requirements: pure parsers shared by the CLI and both extension hosts.
 */
export { SettingsError } from './errors';
export {
  DEFAULT_PROJECT_SETTINGS,
  settingsFromValue,
  type ProjectSettings,
  SettingsProblem,
} from './project-settings';
export {
  parseNormlensJson,
  parsePyproject,
  parsePyprojectSettings,
  parseSettingsFile,
  SETTINGS_FILE_NAMES,
} from './parse';
export { torchVersionFromPyproject, torchVersionFromRequirements } from './requirements';
