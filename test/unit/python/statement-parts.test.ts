import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser, Tree } from 'web-tree-sitter';
import { PythonDocument } from '../../../src/core/python/incremental';
import type { PythonExtraction } from '../../../src/core/python/index';
import {
  analyzePythonText,
  extractPython,
  extractionOf,
  parsePlanned,
} from '../../../src/core/python/index';
import { planParse } from '../../../src/core/python/regions';
import {
  extractParts,
  partEditOf,
  reextractEdited,
} from '../../../src/core/python/statement-parts';
import { ParserFactory } from '../../../src/core/syntax/parsers';
import { edit } from '../helpers/edits';
import { nodeModulesWasmLoader } from '../helpers/wasm';

const MODELS = '/usr/lib/python3/dist-packages/torchvision/models';

/** Parses `text` as the analysis would (planned statements only). */
function parse(parser: Parser, text: string): Tree {
  const tree = parsePlanned(parser, text, planParse(text));
  assert.ok(tree, 'the parser returned a tree');
  return tree;
}

/**
 * Re-extracts after the edit when the parts allow it, and checks the result against a fresh
 * extraction of the same tree. True when the edited definition was re-extracted alone.
 */
function reextracted(parser: Parser, text: string, next: ReturnType<typeof edit>): boolean {
  const before = parse(parser, text);
  const after = parse(parser, next.text);
  try {
    const parts = extractParts(before, text, undefined);
    const result = reextractEdited(parts, text, after, next.text, partEditOf(next.change));
    if (result) {
      assert.deepEqual(extractionOf(after, result), extractPython(after, next.text));
    }
    return result !== undefined;
  } finally {
    before.delete();
    after.delete();
  }
}

const SOURCE = [
  'import torch',
  'import torch.nn as nn',
  'from functools import partial',
  'from torch.utils.data import DataLoader',
  '',
  'WIDTH = 64',
  '',
  'class Norm(nn.BatchNorm2d):',
  '    pass',
  '',
  'class Block(nn.Module):',
  '    def __init__(self, c=WIDTH, norm_layer=nn.BatchNorm2d):',
  '        super().__init__()',
  '        self.conv = nn.Conv2d(3, c, 3, bias=False)',
  '        self.bn = norm_layer(c, momentum=0.99)',
  '        self.gn = nn.GroupNorm(32, c)',
  '',
  '    def forward(self, x):',
  '        return self.bn(self.conv(x))',
  '',
  'def train(ds):',
  '    model = Block()',
  '    model.train()',
  '    return DataLoader(ds, batch_size=WIDTH)',
  '',
].join('\n');

describe('statement parts', () => {
  let parser: Parser;

  before(async () => {
    parser = await new ParserFactory(nodeModulesWasmLoader).createParser('python');
  });

  /** Each edit replaces the first occurrence of `find` by `by`. */
  const cases: readonly {
    readonly name: string;
    readonly find: string;
    readonly by: string;
    readonly alone: boolean;
  }[] = [
    { name: 'an argument of a site', find: 'momentum=0.99', by: 'momentum=0.1', alone: true },
    { name: 'a group count', find: 'GroupNorm(32', by: 'GroupNorm(48', alone: true },
    {
      name: 'a comment line added',
      find: '        return self',
      by: '        # x\n        return self',
      alone: true,
    },
    { name: 'a call in a function', find: 'model.train()', by: 'model.eval()', alone: true },
    {
      name: 'a class header',
      find: 'class Norm(nn.BatchNorm2d)',
      by: 'class Norm(nn.Module)',
      alone: false,
    },
    {
      name: 'a parameter default',
      find: 'norm_layer=nn.BatchNorm2d)',
      by: 'norm_layer=None)',
      alone: false,
    },
    {
      name: 'a nested import',
      find: '        super()',
      by: '        import torch.nn as tnn\n        super()',
      alone: false,
    },
    {
      name: 'an __init__ added',
      find: '    pass',
      by: '    def __init__(self):\n        pass',
      alone: false,
    },
    {
      name: 'a new binding',
      find: '    model = Block()',
      by: '    norm = partial(nn.LayerNorm)\n    model = Block()',
      alone: false,
    },
    { name: 'half precision named', find: 'model.train()', by: 'model.half()', alone: false },
    { name: 'a module constant', find: 'WIDTH = 64', by: 'WIDTH = 2', alone: false },
    { name: 'an edit across definitions', find: '\n\ndef train', by: '\ndef train', alone: false },
  ];
  for (const { name, find, by, alone } of cases) {
    it(`${alone ? 're-extracts' : 'does not re-extract'} alone after ${name}`, () => {
      const at = SOURCE.indexOf(find);
      assert.ok(at >= 0, find);
      assert.equal(reextracted(parser, SOURCE, edit(SOURCE, at, at + find.length, by)), alone);
    });
  }

  it('re-extracts an edited definition of real model code as a fresh extraction would', function () {
    if (!existsSync(MODELS)) {
      this.skip();
    }
    const random = seeded(7);
    let alone = 0;
    let edits = 0;
    for (const file of readdirSync(MODELS)
      .filter((name) => name.endsWith('.py'))
      .sort()) {
      const text = readFileSync(join(MODELS, file), 'utf8');
      for (let round = 0; round < 6; round++) {
        edits++;
        alone += reextracted(parser, text, randomEdit(text, random)) ? 1 : 0;
      }
    }
    // Most random edits land inside a definition and leave its header and bindings alone.
    assert.ok(alone > edits / 3, `${alone} of ${edits} edits re-extracted alone`);
  });

  it('keeps a document equal to a fresh analysis through a sequence of random edits', function () {
    if (!existsSync(MODELS)) {
      this.skip();
    }
    const random = seeded(11);
    for (const file of ['resnet.py', 'convnext.py', 'mobilenetv3.py']) {
      let text = readFileSync(join(MODELS, file), 'utf8');
      const document = new PythonDocument(parser, text);
      try {
        for (let step = 0; step < 40; step++) {
          const next = randomEdit(text, random);
          text = next.text;
          const updated = document.update(text, [next.change]);
          const fresh = analyzePythonText(parser, text);
          // After an incremental parse tree-sitter may recover from a syntax error differently
          // than a fresh parse does, so only the results are compared when the text has one.
          assert.deepEqual(
            withoutSyntaxErrors(updated),
            withoutSyntaxErrors(fresh),
            `${file}, edit ${step} at ${JSON.stringify(next.change.startPosition)}`,
          );
          if (!fresh.errors.some((error) => error.kind === 'syntax')) {
            assert.deepEqual(updated.errors, fresh.errors);
          }
        }
      } finally {
        document.dispose();
      }
    }
  });
});

function withoutSyntaxErrors(extraction: PythonExtraction): PythonExtraction {
  return { ...extraction, errors: extraction.errors.filter((error) => error.kind !== 'syntax') };
}

/** A deterministic generator of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** One edit of the kinds typing makes, at a random line of `text`. */
function randomEdit(text: string, random: () => number): ReturnType<typeof edit> {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
    starts.push(at + 1);
  }
  const line = Math.floor(random() * starts.length);
  const start = starts[line] ?? 0;
  const end = starts[line + 1] ?? text.length;
  const column = start + Math.floor(random() * Math.max(1, end - start - 1));
  const indent = /^[ \t]*/.exec(text.slice(start, end))?.[0] ?? '';
  switch (Math.floor(random() * 6)) {
    case 0:
      return edit(text, start, start, '#');
    case 1:
      return edit(text, column, Math.min(column + 1, end), '');
    case 2:
      return edit(text, column, column, 'x');
    case 3:
      return edit(text, column, column, '1');
    case 4:
      return edit(text, start, start, `${indent}y = 1\n`);
    default:
      return edit(text, start, end, '');
  }
}
