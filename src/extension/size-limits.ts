/**
 * The size limits of analysis and the notes shown (in Problems, the NormLens view and the status
 * bar) when one applies, so a skipped file never looks like a clean one.
 */
import type { InputLanguage } from '../core/index';
import type { FileSettings } from './analysis-settings';

const MB = 1024 * 1024;

/**
 * The note for a file of `size` bytes (UTF-16 units for an open document) over its limit, or
 * undefined when it is within. Models are read lazily, so only workspace analysis limits them.
 */
export function sizeLimitNote(
  language: InputLanguage,
  size: number,
  settings: FileSettings,
): string | undefined {
  if (language === 'onnx') {
    const { value, origin } = settings.maxModelSizeMB;
    return size > value * MB
      ? `NormLens skipped this model in the workspace analysis: ${Math.round(size / MB)} MB is above ${origin} (${value} MB). Open it to analyse it.`
      : undefined;
  }
  const { value, origin } = settings.maxFileSizeKB;
  return size > value * 1024
    ? `NormLens skipped this file: ${Math.round(size / 1024)} KB is above ${origin} (${value} KB).`
    : undefined;
}
