import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsePlan } from '../../../src/core/python/regions';
import { planParse } from '../../../src/core/python/regions';
import type { PlanEdit } from '../../../src/core/python/replan';
import { replanAfterKeptEdit, replanEdit } from '../../../src/core/python/replan';

const MODELS = '/usr/lib/python3/dist-packages/torchvision/models';

/** `text` with `[start, end)` replaced by `insert`, and the edit in the planner's terms. */
function applyEdit(
  text: string,
  start: number,
  end: number,
  insert: string,
): { text: string; edit: PlanEdit } {
  const removed = text.slice(start, end);
  const lines = (value: string): number => value.split('\n').length - 1;
  return {
    text: text.slice(0, start) + insert + text.slice(end),
    edit: {
      startIndex: start,
      oldEndIndex: end,
      newEndIndex: start + insert.length,
      lineDelta: lines(insert) - lines(removed),
    },
  };
}

/**
 * What a plan decides, as plain data: its type and regions, the statements and which are kept and
 * counted, the tainted names, and which of `words` kept statements use.
 */
function decisions(plan: ParsePlan, words: readonly string[]): unknown {
  const state = plan.state;
  return {
    type: plan.type,
    regions: plan.type === 'regions' ? plan.regions : undefined,
    statements: state?.statements,
    kept: state?.kept,
    counted: state?.counted,
    tainted: state ? [...state.tainted].sort() : undefined,
    used: state ? words.filter((word) => state.used.has(word)) : undefined,
  };
}

/** The words of `text`, for asking plans which of them are used. */
function wordsOf(text: string): string[] {
  return [...new Set(text.match(/[A-Za-z_]\w*/g) ?? [])];
}

/** A deterministic pseudo-random sequence (xorshift), so failures can be replayed. */
function random(seed: number): (below: number) => number {
  let state = seed >>> 0 || 1;
  return (below) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % below;
  };
}

/** One random typing edit on one line of `text`: the kinds of edit an editor sends. */
function randomEdit(
  text: string,
  next: (below: number) => number,
): { text: string; edit: PlanEdit } {
  const starts = [0];
  for (
    let at = text.indexOf('\n');
    at >= 0 && at < text.length - 1;
    at = text.indexOf('\n', at + 1)
  ) {
    starts.push(at + 1);
  }
  const start = starts[next(starts.length)] ?? 0;
  const newline = text.indexOf('\n', start);
  const end = newline < 0 ? text.length : newline;
  const line = text.slice(start, end);
  const indent = /^\s*/.exec(line)?.[0].length ?? 0;
  const inside = start + next(line.length + 1);
  switch (next(7)) {
    case 0:
      return applyEdit(text, start + indent, start + indent, '# ');
    case 1:
      return applyEdit(text, inside, Math.min(end, inside + 1), '');
    case 2:
      return applyEdit(text, inside, inside, 'x');
    case 3:
      return applyEdit(text, end, end, `\n${line}`);
    case 4: {
      // Add a call argument before a closing bracket, or remove the last one.
      const close = line.lastIndexOf(')');
      const comma = line.lastIndexOf(',', close);
      return close > 0 && comma > 0 && next(2) === 0
        ? applyEdit(text, start + comma, start + close, '')
        : applyEdit(text, start + Math.max(0, close), start + Math.max(0, close), ', extra=1');
    }
    case 5: {
      // Rename a word, as renaming a local does at one of its uses.
      const words = [...line.matchAll(/[A-Za-z_]\w*/g)];
      const word = words[next(Math.max(1, words.length))];
      const at = start + (word?.index ?? 0);
      return applyEdit(text, at, at + (word?.[0].length ?? 0), `${word?.[0] ?? ''}_renamed`);
    }
    default:
      return applyEdit(text, inside, inside, ' ');
  }
}

/** True when the edit starts inside a kept statement that is not an import. */
function insideKept(plan: ParsePlan, text: string, edit: PlanEdit): boolean {
  const statements = plan.state?.statements ?? [];
  const index = statements.findIndex((s) => s.start <= edit.startIndex && edit.startIndex < s.end);
  const statement = statements[index];
  return (
    statement !== undefined &&
    plan.state?.kept[index] === true &&
    !/^(?:import|from)\b/.test(text.slice(statement.start, statement.end))
  );
}

describe('python re-planning after an edit inside a kept statement, on torchvision models', function () {
  const files = existsSync(MODELS)
    ? readdirSync(MODELS)
        .filter((name) => name.endsWith('.py'))
        .sort()
        .map((name) => join(MODELS, name))
    : [];
  before(function () {
    if (files.length === 0) {
      this.skip();
    }
  });

  it('gives exactly the fresh plan whenever it gives one, and usually gives one', function () {
    const next = random(7);
    let insideKeptEdits = 0;
    let local = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const plan = planParse(text);
      for (let run = 0; run < 60; run++) {
        const edited = randomEdit(text, next);
        const result = replanEdit(plan, text, edited.text, edited.edit);
        if (result) {
          const words = wordsOf(edited.text);
          assert.deepEqual(
            decisions(result.plan, words),
            decisions(planParse(edited.text), words),
            `${file}: ${JSON.stringify(edited.edit)}`,
          );
        }
        if (insideKept(plan, text, edited.edit)) {
          insideKeptEdits++;
          local += result && result.rescanned.length > 0 ? 1 : 0;
        }
      }
    }
    const rate = local / Math.max(1, insideKeptEdits);
    console.log(
      `      local re-plan for ${local} of ${insideKeptEdits} edits inside kept statements (${(100 * rate).toFixed(0)}%)`,
    );
    assert.ok(insideKeptEdits > 100);
  });

  it('stays exact over a chain of edits, each re-planned from the last', function () {
    const next = random(11);
    for (const file of files.slice(0, 12)) {
      let text = readFileSync(file, 'utf8');
      let plan = planParse(text);
      for (let run = 0; run < 40; run++) {
        const edited = randomEdit(text, next);
        const result = replanEdit(plan, text, edited.text, edited.edit);
        const fresh = planParse(edited.text);
        if (result) {
          const words = wordsOf(edited.text);
          assert.deepEqual(decisions(result.plan, words), decisions(fresh, words), file);
        }
        text = edited.text;
        plan = result?.plan ?? fresh;
      }
    }
  });
});

describe('python re-planning after an edit inside a kept statement', () => {
  const source = [
    'import torch.nn as nn',
    'from functools import partial',
    'EPS = 1e-5',
    'OTHER = 3',
    'y = make_norm(4)',
    '',
    '',
    'class Block(nn.Module):',
    '    def __init__(self, c):',
    '        super().__init__()',
    '        self.conv = nn.Conv2d(c, c, 3)',
    '        self.bn = nn.BatchNorm2d(c, eps=EPS)',
    '        self.act = nn.ReLU()',
    '',
    '    def forward(self, x):',
    '        return self.act(self.bn(self.conv(x)))',
    '',
    '',
    'def helper(x):',
    '    return x',
    '',
  ].join('\n');
  const plan = planParse(source);

  /** The re-plan after replacing the first `old` on the line holding `anchor` with `replacement`. */
  function replanned(
    anchor: string,
    old: string,
    replacement: string,
  ): ReturnType<typeof replanEdit> {
    const line = source.indexOf(anchor);
    const start = source.indexOf(old, line);
    const edited = applyEdit(source, start, start + old.length, replacement);
    return replanAfterKeptEdit(plan, source, edited.text, edited.edit);
  }

  it('plans the fixture with the class kept and the skipped statements skipped', () => {
    assert.equal(plan.type, 'regions');
    assert.deepEqual(plan.state?.kept, [true, true, true, false, false, true, false]);
  });

  const local: readonly [string, string, string, string][] = [
    ['adding a call argument', 'self.conv(x)', 'x)', 'x, 2)'],
    ['removing a call argument', 'nn.Conv2d(c, c, 3)', ', 3)', ')'],
    ['commenting out a line', 'self.act = nn.ReLU()', 'self.act', '# self.act'],
    ['renaming a local', 'def forward', 'x):', 'inputs):'],
  ];
  for (const [name, anchor, old, replacement] of local) {
    it(`re-plans locally after ${name}`, () => {
      const line = source.indexOf(anchor);
      const start = source.indexOf(old, line);
      const edited = applyEdit(source, start, start + old.length, replacement);
      const result = replanAfterKeptEdit(plan, source, edited.text, edited.edit);
      assert.ok(result, 'expected a local re-plan');
      assert.deepEqual(result.rescanned, [5]);
      const words = wordsOf(edited.text);
      assert.deepEqual(decisions(result.plan, words), decisions(planParse(edited.text), words));
    });
  }

  const fallBack: readonly [string, string, string, string][] = [
    ['the edit touches the class header', 'class Block', 'nn.Module', 'nn.Sequential'],
    ['the edit adds a nested import', 'super()', 'super()', 'import math; super()'],
    [
      'the edit adds a word a skipped constant assigns',
      'self.act =',
      'nn.ReLU()',
      'nn.ReLU(OTHER)',
    ],
    ['the edit removes the last use of a kept constant', 'self.bn =', 'eps=EPS', 'eps=1e-3'],
    [
      'the edit removes the class\u2019s only norm name',
      'self.bn =',
      'nn.BatchNorm2d',
      'nn.Identity',
    ],
    [
      'the edit binds the name of a norm-like call',
      'self.act =',
      'self.act = nn.ReLU()',
      'make_norm = nn.ReLU',
    ],
    ['the edit mentions partial', 'self.act =', 'nn.ReLU()', 'partial(nn.ReLU)'],
    ['the edit dedents a line out of the class', 'self.act =', '        self.act', 'self.act'],
    ['the edit leaves a bracket open', 'self.act =', 'nn.ReLU()', 'nn.ReLU('],
    ['the edit opens a string to the end of the file', 'self.act =', 'nn.ReLU()', '"""'],
    ['the edit is in a skipped statement', 'OTHER', '3', '4'],
  ];
  for (const [name, anchor, old, replacement] of fallBack) {
    it(`falls back when ${name}`, () => {
      assert.equal(replanned(anchor, old, replacement), undefined);
    });
  }
});
