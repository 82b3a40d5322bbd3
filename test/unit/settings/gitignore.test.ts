import assert from 'node:assert/strict';
import { GitignoreRules, type GitignoreFile } from '../../../src/core/index';

const ROOT: GitignoreFile = { folder: '', text: 'build/\n*.onnx\n!keep.onnx\n' };
const NESTED: GitignoreFile = { folder: 'models', text: '!*.onnx\nscratch.py\n' };

describe('GitignoreRules', () => {
  const cases: readonly [string, readonly GitignoreFile[], string, boolean][] = [
    ['no .gitignore ignores nothing', [], 'build/x.py', false],
    ['a file pattern', [ROOT], 'a/model.onnx', true],
    ['a negation re-includes', [ROOT], 'keep.onnx', false],
    ['an ignored folder hides its files', [ROOT], 'build/x.py', true],
    ['a negation cannot bring a file back from an ignored folder', [ROOT], 'build/keep.onnx', true],
    ['a deeper file overrides a shallower one', [ROOT, NESTED], 'models/a.onnx', false],
    ['the deeper file applies only below its folder', [ROOT, NESTED], 'other/a.onnx', true],
    ['a deeper file adds its own patterns', [NESTED, ROOT], 'models/scratch.py', true],
    ['paths outside the patterns stay', [ROOT, NESTED], 'train.py', false],
  ];
  for (const [name, files, path, ignored] of cases) {
    it(name, () => {
      assert.equal(new GitignoreRules(files).ignores(path), ignored);
    });
  }
});
