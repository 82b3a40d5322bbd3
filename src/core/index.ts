/**
 * The public surface of the NormLens core. Adapters (extension, CLI, webview) import only from here.
 */
export * from './model';
export * from './bytes/byte-source';
export * from './syntax/parsers';
export type * from './rules/types';
export * from './python/index';
