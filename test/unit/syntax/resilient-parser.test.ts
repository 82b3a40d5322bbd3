import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

interface TrapResult {
  readonly failures: readonly string[];
  readonly afterwards: string | undefined;
  readonly sites: readonly string[];
  readonly errors: readonly unknown[];
  readonly health: { readonly failures: number; readonly broken?: string };
}

describe('resilient parser', function () {
  this.timeout(60_000);

  it('turns a WebAssembly trap into a ParserFailure and keeps parsing', () => {
    // Its own process: the trap damages the shared WebAssembly memory of this process.
    const output = execFileSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'parser-trap.child.ts')],
      { encoding: 'utf8' },
    );
    const result = JSON.parse(output.trim().split('\n').at(-1) ?? '') as TrapResult;
    assert.deepEqual(result.failures, [
      'the parser failed on this file: memory access out of bounds',
      'the parser failed on this file: memory access out of bounds',
      'the parser failed on this file: memory access out of bounds',
    ]);
    assert.equal(
      result.afterwards,
      '(module (import_statement name: (aliased_import name: (dotted_name (identifier) (identifier)) alias: (identifier))) ' +
        '(expression_statement (assignment left: (identifier) right: (call function: (attribute object: (identifier) attribute: (identifier)) ' +
        'arguments: (argument_list (integer) (keyword_argument name: (identifier) value: (integer)))))))',
    );
    assert.deepEqual(result.sites, ['BatchNorm2d']);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.health, { failures: 3 });
  });
});
