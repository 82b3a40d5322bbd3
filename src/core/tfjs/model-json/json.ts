/**
 * Narrowing helpers for model.json content, which is untrusted: every read goes through a guard,
 * so a hostile file yields missing values, never exceptions.
 */
import type { ParamValue } from '../../model';

/** A JSON object. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The property `key` of `value` when it is an object. */
export function field(value: unknown, key: string): unknown {
  return isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** The value as an array, or an empty one. */
export function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? (value as readonly unknown[]) : [];
}

/** The value when it is a string. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value when it is a finite number. */
export function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * A config value as a parameter value: scalars and number lists as they are, an initializer or
 * regularizer object (`{class_name: 'Zeros', config: {}}`) as its class name; undefined otherwise.
 */
export function paramValueOf(value: unknown): ParamValue | undefined {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.every((v) => typeof v === 'number') ? value : undefined;
  }
  return stringOf(field(value, 'class_name'));
}

/** A short JSON rendering of a value, for `Param.expression`. */
export function shortJson(value: unknown, limit = 80): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Only cyclic values fail, which JSON.parse never produces; say so instead of throwing.
    text = '[unprintable]';
  }
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
