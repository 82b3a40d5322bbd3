/**
 * The torch version a project pins, read from requirements.txt lines or pyproject dependencies
 * (PEP 621 `[project]` lists and Poetry tables). Only pins are read; nothing is resolved.
 */
import type { VersionEvidence } from '../model';
import { parsePyproject } from './parse';

/**
 * The torch pin in a requirements.txt text: `torch==1.13.1` gives `1.13.1`, `torch>=2.1,<3` gives
 * `>=2.1,<3`, a wheel URL gives the wheel's version. Undefined when torch is absent or unpinned.
 */
export function torchVersionFromRequirements(
  text: string,
  origin = 'requirements.txt',
): VersionEvidence | undefined {
  for (const raw of text.split(/\r?\n/)) {
    const version = torchPin(raw);
    if (version !== undefined) {
      return { version, origin };
    }
  }
  return undefined;
}

/**
 * The torch pin in a `pyproject.toml`: `[project] dependencies`, then its optional dependencies,
 * then `[tool.poetry.dependencies]` (`torch = "^2.1"` or `{ version = "^2.1" }`). Throws
 * SettingsError for invalid TOML.
 */
export function torchVersionFromPyproject(
  text: string,
  origin = 'pyproject.toml',
): VersionEvidence | undefined {
  const document = parsePyproject(text, origin);
  const project = tableAt(document, 'project');
  const optional = Object.values(tableAt(project, 'optional-dependencies') ?? {});
  for (const list of [project?.['dependencies'], ...optional]) {
    for (const requirement of Array.isArray(list) ? list : []) {
      const version = typeof requirement === 'string' ? torchPin(requirement) : undefined;
      if (version !== undefined) {
        return { version, origin };
      }
    }
  }
  const poetry = tableAt(tableAt(tableAt(document, 'tool'), 'poetry'), 'dependencies');
  const entry = poetry?.['torch'];
  const spec = typeof entry === 'string' ? entry : tableAt(poetry, 'torch')?.['version'];
  return typeof spec === 'string' && spec.trim() !== '' && spec.trim() !== '*'
    ? { version: exactOrSpec(spec), origin }
    : undefined;
}

/** PEP 508 name, extras, then a version specifier or a direct reference, then markers. */
const REQUIREMENT =
  /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:@\s*(\S+)|\(?([^;#()]*)\)?)/;

/** The version pinned by one requirement line for torch, or undefined. */
function torchPin(line: string): string | undefined {
  // Drop comments and pip options such as `--hash=…` that may follow a requirement.
  const requirement = line.replace(/(^|\s)#.*$/, '').replace(/\s--?\S.*$/, '');
  const match = REQUIREMENT.exec(requirement);
  if (!match || match[1]?.toLowerCase().replace(/[-_.]+/g, '-') !== 'torch') {
    return undefined;
  }
  const url = match[2];
  if (url !== undefined) {
    // A wheel's file name carries the version: torch-2.1.0%2Bcu118-cp310-….whl (URL-encoded `+`).
    const version = /\/torch-([^-/]+)-[^/]*\.whl/i.exec(url)?.[1];
    return version?.replace(/%2B/gi, '+');
  }
  const spec = (match[3] ?? '').replace(/\s+/g, '');
  return spec === '' ? undefined : exactOrSpec(spec);
}

/** `==1.13.1` (or `===`) is the version itself; any other specifier is kept as written. */
function exactOrSpec(spec: string): string {
  const trimmed = spec.replace(/\s+/g, '');
  const exact = /^===?([^,<>=!~*]+(?:\.\*)?)$/.exec(trimmed);
  return exact?.[1] ?? trimmed;
}

function tableAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const entry = (value as Record<string, unknown>)[key];
  return typeof entry === 'object' && entry !== null && !Array.isArray(entry)
    ? (entry as Record<string, unknown>)
    : undefined;
}
