import assert from 'node:assert/strict';
import { parseCommandLine, UsageError } from '../../../src/cli/args';

describe('normlens command line', () => {
  it('parses check with defaults', () => {
    assert.deepEqual(parseCommandLine(['check', 'a.py', 'src']), {
      command: 'check',
      paths: ['a.py', 'src'],
      format: 'text',
      failOn: 'error',
    });
  });
  it('parses format and fail-on', () => {
    assert.deepEqual(parseCommandLine(['check', '--format', 'json', '--fail-on=warning', 'x']), {
      command: 'check',
      paths: ['x'],
      format: 'json',
      failOn: 'warning',
    });
  });
  it('knows help and version', () => {
    assert.deepEqual(parseCommandLine(['--help']), { command: 'help' });
    assert.deepEqual(parseCommandLine(['--version']), { command: 'version' });
  });
  const bad: readonly [string, readonly string[], RegExp][] = [
    ['no command', [], /missing command/],
    ['an unknown command', ['lint', 'x'], /unknown command 'lint'/],
    ['no paths', ['check'], /at least one path/],
    ['a bad format', ['check', '--format', 'xml', 'x'], /--format must be text or json/],
    ['a bad fail-on', ['check', '--fail-on', 'fatal', 'x'], /--fail-on must be one of/],
    ['an unknown option', ['check', '--frobnicate', 'x'], /frobnicate/],
  ];
  for (const [name, argv, message] of bad) {
    it(`rejects ${name}`, () =>
      assert.throws(
        () => parseCommandLine(argv),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
      ));
  }
});
