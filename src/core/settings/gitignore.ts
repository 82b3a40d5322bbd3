/**
 * Which paths a tree's `.gitignore` files (nested ones too) exclude, by git's rules, for hosts that
 * list files first and filter them after (the editor's workspace search) rather than walk folders.
 */
import ignore, { type Ignore } from 'ignore';

/** One `.gitignore`: its folder relative to the root (`''` for the root, `/`-separated), and text. */
export interface GitignoreFile {
  readonly folder: string;
  readonly text: string;
}

interface Layer {
  readonly folder: string;
  readonly rules: Ignore;
}

/** The rules of a set of `.gitignore` files under one root. */
export class GitignoreRules {
  /** Shallow first: a deeper file's patterns (and negations) override a shallower one's. */
  private readonly layers: readonly Layer[];
  /** Folder verdicts, since the files of a folder share them. */
  private readonly folders = new Map<string, boolean>();

  constructor(files: readonly GitignoreFile[]) {
    this.layers = files
      .map((file) => ({ folder: trimSlashes(file.folder), rules: ignore().add(file.text) }))
      .sort((a, b) => depth(a.folder) - depth(b.folder));
  }

  /**
   * True when git ignores `path` (relative to the root, `/`-separated): the file matches, or one
   * of its folders does (git never looks inside an ignored folder, so a negation cannot bring a
   * file back from one).
   */
  ignores(path: string): boolean {
    if (this.layers.length === 0) {
      return false;
    }
    const parts = trimSlashes(path).split('/');
    for (let end = 1; end < parts.length; end++) {
      const folder = parts.slice(0, end).join('/');
      let ignored = this.folders.get(folder);
      if (ignored === undefined) {
        ignored = this.matches(folder, true);
        this.folders.set(folder, ignored);
      }
      if (ignored) {
        return true;
      }
    }
    return this.matches(parts.join('/'), false);
  }

  /** The verdict of the layers above `path` on it alone, the deepest deciding. */
  private matches(path: string, isFolder: boolean): boolean {
    const suffix = isFolder ? '/' : '';
    return ignoredByLayers(
      this.layers
        .filter(({ folder }) => folder === '' || path.startsWith(`${folder}/`))
        .map(({ folder, rules }) => ({
          rules,
          path: (folder === '' ? path : path.slice(folder.length + 1)) + suffix,
        })),
    );
  }
}

/** One `.gitignore`'s rules and a path relative to its folder (a folder's path ends in `/`). */
export interface LayeredPath {
  readonly rules: Ignore;
  readonly path: string;
}

/**
 * Git's precedence over nested `.gitignore` files, given shallowest first: the deepest file that
 * ignores or re-includes (`!keep.py`) the path decides.
 */
export function ignoredByLayers(layers: Iterable<LayeredPath>): boolean {
  let ignored = false;
  for (const { rules, path } of layers) {
    const result = rules.test(path);
    if (result.ignored) {
      ignored = true;
    } else if (result.unignored) {
      ignored = false;
    }
  }
  return ignored;
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

function depth(folder: string): number {
  return folder === '' ? 0 : folder.split('/').length;
}
