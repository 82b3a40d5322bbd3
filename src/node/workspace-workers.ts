/**
 * How many worker threads the editor's workspace scan uses: one core stays with the extension
 * host (and the rest of the editor), at most four go to analysis. `NORMLENS_WORKSPACE_JOBS`
 * overrides it for diagnosis and measurement; 0 analyses in the extension host's own thread.
 */
import { availableParallelism } from 'node:os';

/** Workers at most, however many cores. */
const MAX_JOBS = 4;

/** The number of analysis workers for a workspace scan; 0 means none. */
export function workspaceJobs(env: Readonly<Record<string, string | undefined>>): number {
  const forced = Number.parseInt(env['NORMLENS_WORKSPACE_JOBS'] ?? '', 10);
  if (Number.isSafeInteger(forced) && forced >= 0) {
    return Math.min(forced, MAX_JOBS);
  }
  return Math.max(1, Math.min(MAX_JOBS, availableParallelism() - 1));
}
