/**
 * The extension's log: one LogOutputChannel, created once.
 */
import * as vscode from 'vscode';

/** A thin wrapper so callers log errors with their cause. */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('NormLens', { log: true });

  trace(message: string): void {
    this.channel.trace(message);
  }

  info(message: string): void {
    this.channel.info(message);
  }

  error(message: string, cause?: unknown): void {
    this.channel.error(
      cause instanceof Error
        ? `${message}: ${cause.stack ?? cause.message}`
        : `${message}: ${String(cause)}`,
    );
  }

  dispose(): void {
    this.channel.dispose();
  }
}
