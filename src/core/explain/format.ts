/**
 * Formatting of parameter values and their provenance, shared by hover text, the CLI and the panel.
 */
import type { Framework, Param, ParamValue } from '../model';

/** A value as the framework's own language writes it (`True`, `None`, `1e-5`). */
export function formatValue(value: ParamValue, framework: Framework): string {
  if (value === null) {
    return framework === 'pytorch' ? 'None' : 'null';
  }
  if (typeof value === 'boolean') {
    if (framework === 'pytorch') {
      return value ? 'True' : 'False';
    }
    return String(value);
  }
  if (typeof value === 'number') {
    return formatNumber(value);
  }
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  return `[${value.map(formatNumber).join(', ')}]`;
}

/** Short, exact-enough numbers: integers as is, small and large values in exponent form. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) || !Number.isFinite(value)) {
    return String(value);
  }
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) {
    return value
      .toExponential()
      .replace(/\.?0+e/, 'e')
      .replace('e+', 'e');
  }
  return String(Number(value.toPrecision(6)));
}

/** Where a parameter's value came from, in a few words. */
export function describeProvenance(param: Param): string {
  switch (param.source) {
    case 'literal':
      return 'written here';
    case 'default':
      return 'default';
    case 'constant': {
      const line = param.origin ? ` (line ${param.origin.start.line + 1})` : '';
      return `constant ${param.expression ?? ''}${line}`.replace(/\s+/g, ' ').trim();
    }
    case 'unknown':
      return `not resolved: \`${param.expression ?? '?'}\``;
  }
}
