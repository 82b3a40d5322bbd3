/**
 * The one place where core positions, ranges and severities become VS Code ones.
 */
import * as vscode from 'vscode';
import type { Position, Severity, SourceRange } from '../core/index';

/** A VS Code range for a core range. */
export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(
    range.start.line,
    range.start.character,
    range.end.line,
    range.end.character,
  );
}

/** A core position for a VS Code position. */
export function toPosition(position: vscode.Position): Position {
  return { line: position.line, character: position.character };
}

/** The VS Code severity of a finding. */
export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
  }
}
