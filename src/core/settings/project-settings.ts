/**
 * The project settings file's data model and its validation, shared by `normlens.json` and
 * `pyproject.toml`'s `[tool.normlens]`: the same keys and values in both.
 */
import type { RuleConfig } from '../rules/engine';
import { ruleById } from '../rules/registry';
import type { RuleOptions } from '../rules/types';

/** Settings of one project, as read from its settings file. */
export interface ProjectSettings {
  /** Per-rule severity and thresholds, the same shape the extension builds from its settings. */
  readonly rules: RuleConfig;
  /** Gitignore-style globs of paths not to analyse, relative to the settings file's folder. */
  readonly exclude: readonly string[];
  /** Source files (and model.json) larger than this many KB are skipped with a note. */
  readonly maxFileSizeKB?: number;
  /** ONNX models larger than this many MB are skipped with a note. */
  readonly maxModelSizeMB?: number;
  /** The torch version to assume when no requirements file pins one, e.g. `2.1.0`. */
  readonly torchVersion?: string;
}

/** Settings when a project has no settings file. */
export const DEFAULT_PROJECT_SETTINGS: ProjectSettings = { rules: {}, exclude: [] };

/** A problem in a parsed settings object, with the key path that locates it. */
export class SettingsProblem {
  constructor(
    readonly reason: string,
    readonly keys: readonly string[] = [],
  ) {}
}

const SEVERITY_VALUES: readonly string[] = ['error', 'warning', 'info', 'hint', 'off'];

/**
 * Validates a parsed settings object (from JSON or TOML) into {@link ProjectSettings}. Unknown keys
 * and rule ids are problems, not silently ignored: a typo would otherwise switch nothing off.
 */
export function settingsFromValue(value: unknown): ProjectSettings | SettingsProblem {
  if (!isRecord(value)) {
    return new SettingsProblem('settings must be an object (a table in TOML)');
  }
  let settings: ProjectSettings = DEFAULT_PROJECT_SETTINGS;
  for (const [key, entry] of Object.entries(value)) {
    const problem = (reason: string, more: readonly string[] = []): SettingsProblem =>
      new SettingsProblem(reason, [key, ...more]);
    switch (key) {
      case 'rules': {
        const rules = rulesFromValue(entry);
        if (rules instanceof SettingsProblem) {
          return problem(rules.reason, rules.keys);
        }
        settings = { ...settings, rules };
        break;
      }
      case 'exclude':
        if (!Array.isArray(entry) || !entry.every((glob) => typeof glob === 'string')) {
          return problem('exclude must be a list of glob strings');
        }
        settings = { ...settings, exclude: entry };
        break;
      case 'maxFileSizeKB':
      case 'maxModelSizeMB':
        if (typeof entry !== 'number' || !(entry > 0)) {
          return problem(`${key} must be a positive number`);
        }
        settings = { ...settings, [key]: entry };
        break;
      case 'torchVersion':
        if (typeof entry !== 'string' || entry.trim() === '') {
          return problem('torchVersion must be a version string such as "2.1.0"');
        }
        settings = { ...settings, torchVersion: entry.trim() };
        break;
      default:
        return problem(
          `unknown setting '${key}' (expected rules, exclude, maxFileSizeKB, maxModelSizeMB or torchVersion)`,
        );
    }
  }
  return settings;
}

function rulesFromValue(value: unknown): RuleConfig | SettingsProblem {
  if (!isRecord(value)) {
    return new SettingsProblem('rules must be an object keyed by rule id');
  }
  const config: Record<string, RuleOptions> = {};
  for (const [id, entry] of Object.entries(value)) {
    const options = ruleOptionsFromValue(id, entry);
    if (options instanceof SettingsProblem) {
      return new SettingsProblem(options.reason, [id, ...options.keys]);
    }
    config[id] = options;
  }
  return config;
}

/** `"off"` is shorthand for `{ "severity": "off" }`; objects hold `severity` and thresholds. */
function ruleOptionsFromValue(id: string, value: unknown): RuleOptions | SettingsProblem {
  const rule = ruleById(id);
  if (!rule) {
    return new SettingsProblem(`unknown rule '${id}' (normlens rules lists them)`);
  }
  if (typeof value === 'string') {
    return isSeverity(value) ? { severity: value } : new SettingsProblem(severityReason(id, value));
  }
  if (!isRecord(value)) {
    return new SettingsProblem(`rule '${id}' needs a severity string or an object`);
  }
  let severity: RuleOptions['severity'];
  const thresholds: Record<string, number> = {};
  for (const [key, setting] of Object.entries(value)) {
    if (key === 'severity') {
      if (typeof setting !== 'string' || !isSeverity(setting)) {
        return new SettingsProblem(severityReason(id, setting), [key]);
      }
      severity = setting;
    } else if (rule.thresholds.some((threshold) => threshold.name === key)) {
      if (typeof setting !== 'number' || !Number.isFinite(setting)) {
        return new SettingsProblem(`${id}.${key} must be a number`, [key]);
      }
      thresholds[key] = setting;
    } else {
      const known = ['severity', ...rule.thresholds.map((threshold) => threshold.name)];
      return new SettingsProblem(
        `rule '${id}' has no option '${key}' (it has ${known.join(', ')})`,
        [key],
      );
    }
  }
  return severity === undefined ? { thresholds } : { severity, thresholds };
}

function severityReason(id: string, value: unknown): string {
  return `severity of '${id}' must be one of ${SEVERITY_VALUES.join(', ')}, not ${JSON.stringify(value) ?? String(value)}`;
}

function isSeverity(value: string): value is NonNullable<RuleOptions['severity']> {
  return SEVERITY_VALUES.includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
