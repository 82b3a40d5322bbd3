/**
 * The public surface of the NormLens core. Adapters (extension, CLI, webview) import only from here.
 */
export * from './model';
export * from './bytes/byte-source';
export * from './syntax/parsers';
export type * from './rules/types';
export * from './analyze';
export * from './report-queries';
export * from './rules/engine';
export * from './rules/registry';
export * from './explain/format';
export * from './explain/hover';
export * from './text/line-index';
export * from './protocol';
export * from './python/index';
export * from './onnx/index';
export * from './kernels/index';
export * from './norms/index';
export * from './tfjs/index';
export * from './python/incremental';
export * from './text/json-names';
export * from './settings/index';
export { manifestEntries, type WeightEntry } from './tfjs/model-json/weights';
export * from './syntax/resilient-parser';
export * from './syntax/source-limits';
export {
  GitignoreRules,
  ignoredByLayers,
  type GitignoreFile,
  type LayeredPath,
} from './settings/gitignore';
export {
  inventoryRows,
  type InventoryCell,
  type InventoryFinding,
  type InventoryRow,
} from './inventory/rows';
export {
  parseInventoryToHost,
  type HostToInventory,
  type Inventory,
  type InventoryToHost,
} from './inventory/messages';
