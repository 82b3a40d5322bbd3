/**
 * `normlens inventory <model>`: the normalization layers of one ONNX model or tfjs model.json as a
 * table (or JSON), with the same columns as the editor's inventory view.
 */
import {
  inputLanguageOf,
  inventoryRows,
  type InventoryCell,
  type InventoryRow,
} from '../core/index';
import type { AnalysisOutcome } from '../node/analysis-task';
import { PLAIN, type Style } from './style';

/** True when `file` is a model the inventory can list. */
export function isModelFile(file: string): boolean {
  const language = inputLanguageOf(file);
  return language === 'onnx' || language === 'tfjs-model';
}

/** The rows of a model's outcome (weights are never shown here, so nothing is visualizable). */
export function rowsOf(outcome: AnalysisOutcome): InventoryRow[] {
  return inventoryRows(outcome.report, () => false);
}

/** The JSON document of `normlens inventory --format json`. */
export function inventoryJson(path: string, outcome: AnalysisOutcome): unknown {
  return {
    path,
    language: outcome.report.language,
    layers: rowsOf(outcome).map((row) => ({
      kind: row.kind,
      op: row.op,
      ...(row.opset === '' ? {} : { opset: row.opset }),
      nodes: row.nodes,
      epsilon: cellJson(row.eps),
      momentum: cellJson(row.momentum),
      axis: cellJson(row.axis),
      ...(row.dtype === '' ? {} : { dtype: row.dtype }),
      form: row.fused,
      findings: row.findings,
    })),
    errors: errorsOf(outcome),
  };
}

const HEADERS = [
  '#',
  'kind',
  'op',
  'nodes',
  'eps',
  'momentum',
  'axis',
  'dtype',
  'form',
  'findings',
];

/** The text table of `normlens inventory`, with `*` marking values that are the op's default. */
export function inventoryText(
  path: string,
  outcome: AnalysisOutcome,
  style: Style = PLAIN,
): string {
  const rows = rowsOf(outcome);
  const table = rows.map((row, index) => [
    String(index + 1),
    row.kind,
    row.op,
    nodesText(row.nodes),
    cellText(row.eps),
    cellText(row.momentum),
    cellText(row.axis),
    row.dtype,
    row.fused,
    row.findings.map((f) => `${f.severity} ${f.rule}`).join(', '),
  ]);
  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...table.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [style.path(path)];
  for (const message of errorsOf(outcome)) {
    out.push(`  ${style.severity('error', 'error')}  ${message}`);
  }
  if (rows.length > 0) {
    out.push(style.dim(line(HEADERS)), ...table.map(line));
  }
  const defaults = rows.some((row) => [row.eps, row.momentum, row.axis].some((c) => c.isDefault));
  out.push(
    `${rows.length} normalization layer${rows.length === 1 ? '' : 's'}${defaults ? ' (* = the op’s default)' : ''}.`,
  );
  return `${out.join('\n')}\n`;
}

/** Errors that stopped the analysis (an unreadable or corrupt model). */
export function errorsOf(outcome: AnalysisOutcome): string[] {
  return [
    ...(outcome.ioError === undefined ? [] : [outcome.ioError]),
    ...outcome.report.errors.map((e) => e.message),
  ];
}

function cellText(cell: InventoryCell): string {
  return cell.isDefault ? `${cell.text}*` : cell.text;
}

function cellJson(cell: InventoryCell): unknown {
  return cell.text === '' ? null : { text: cell.text, isDefault: cell.isDefault };
}

/** Decomposed patterns name many nodes: show the first and how many more. */
function nodesText(nodes: readonly string[]): string {
  const [first] = nodes;
  if (first === undefined) {
    return '';
  }
  return nodes.length === 1 ? first : `${first} +${nodes.length - 1}`;
}
