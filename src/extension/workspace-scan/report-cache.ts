/**
 * Reports of workspace files keyed by content: a re-scan analyses only files whose bytes (or the
 * settings) changed. A file whose size and modification time are unchanged since it was read is
 * not even read again; the hash decides for the rest.
 */
import type { FileReport } from '../../core/index';

/** What `workspace.fs.stat` says about a file, as far as the cache cares. */
export interface FileStamp {
  readonly size: number;
  readonly mtime: number;
}

interface Entry {
  readonly fingerprint: string;
  readonly stamp: FileStamp;
  /** When the bytes were read (ms since epoch). */
  readonly readAt: number;
  readonly report: FileReport;
}

/**
 * A file written less than this long before it was read may change again within the same mtime
 * tick without changing its stamp (git's "racy clean" case), so its stamp alone is not trusted.
 */
const SETTLE_MS = 2000;

/** Workspace reports by URI, valid for one settings key. */
export class ReportCache {
  private settingsKey = '';
  private readonly entries = new Map<string, Entry>();

  /** Number of cached files. */
  get size(): number {
    return this.entries.size;
  }

  /** Starts using `key` (everything besides the bytes that shapes a report); a new key empties the cache. */
  useSettings(key: string): void {
    if (key !== this.settingsKey) {
      this.settingsKey = key;
      this.entries.clear();
    }
  }

  /** The cached report when the file's stamp is unchanged and was settled when it was read. */
  byStamp(uri: string, stamp: FileStamp): FileReport | undefined {
    const entry = this.entries.get(uri);
    return entry && sameStamp(entry.stamp, stamp) && entry.readAt - stamp.mtime >= SETTLE_MS
      ? entry.report
      : undefined;
  }

  /** The cached report for these exact bytes; refreshes the stamp it was found under. */
  byFingerprint(uri: string, fingerprint: string, stamp: FileStamp): FileReport | undefined {
    const entry = this.entries.get(uri);
    if (entry?.fingerprint !== fingerprint) {
      return undefined;
    }
    this.entries.set(uri, { ...entry, stamp, readAt: Date.now() });
    return entry.report;
  }

  /** Remembers the report for bytes with `fingerprint`, read just now. */
  set(uri: string, fingerprint: string, stamp: FileStamp, report: FileReport): void {
    this.entries.set(uri, { fingerprint, stamp, readAt: Date.now(), report });
  }

  /** Every cached file with the stamp it was read under, by URI string. */
  stamps(): IterableIterator<readonly [string, FileStamp]> {
    return [...this.entries].map(([uri, entry]) => [uri, entry.stamp] as const).values();
  }

  /** Forgets files that are gone: keeps only `present` among those under `isInScope`. */
  retain(present: ReadonlySet<string>, isInScope: (uri: string) => boolean): void {
    for (const uri of [...this.entries.keys()]) {
      if (isInScope(uri) && !present.has(uri)) {
        this.entries.delete(uri);
      }
    }
  }
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtime === b.mtime;
}
