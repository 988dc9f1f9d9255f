/**
 * The lines a pull request changed, from the pulls API (`GET /repos/{owner}/{repo}/pulls/{n}/files`): findings
 * on those lines are "new" and come first in annotations and in the comment.
 */
import type { Finding } from '../findings.js'

export interface PullFile {
  filename: string
  status?: string
  /** The unified diff of the file; GitHub leaves it out for binary and very large diffs. */
  patch?: string
}

export class ChangedLines {
  /** File → added or modified line numbers in the new version; an empty set means "changed, lines unknown". */
  private readonly files = new Map<string, Set<number>>()

  static empty(): ChangedLines {
    return new ChangedLines()
  }

  static fromPullFiles(files: PullFile[]): ChangedLines {
    const changed = new ChangedLines()
    for (const f of files) {
      if (f.status === 'removed') continue
      changed.files.set(normalizePath(f.filename), f.patch ? addedLines(f.patch) : new Set())
    }
    return changed
  }

  get size(): number {
    return this.files.size
  }

  hasFile(path: string): boolean {
    return this.files.has(normalizePath(path))
  }

  /** True when any line of `startLine..endLine` in `path` was added or modified. */
  hasLine(path: string, startLine: number, endLine = startLine): boolean {
    const lines = this.files.get(normalizePath(path))
    if (!lines) return false
    for (let l = startLine; l <= endLine; l++) if (lines.has(l)) return true
    return false
  }

  /** 2: on a changed line; 1: in a changed file; 0: elsewhere. */
  rank(f: Finding): number {
    if (!f.location) return 0
    if (this.hasLine(f.location.path, f.location.startLine, f.location.endLine ?? f.location.startLine))
      return 2
    return this.hasFile(f.location.path) ? 1 : 0
  }

  /** A finding the pull request introduced: it sits on a line the pull request changed. */
  isNew(f: Finding): boolean {
    return this.rank(f) === 2
  }
}

/** `./a/Dockerfile` and `a//Dockerfile` → `a/Dockerfile`. */
export function normalizePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/{2,}/g, '/')
}

/** The line numbers, in the new file, of the `+` lines of a unified diff. */
export function addedLines(patch: string): Set<number> {
  const lines = new Set<number>()
  let next = 0
  let inHunk = false
  for (const line of patch.split('\n')) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line)
    if (hunk) {
      next = Number(hunk[1])
      inHunk = true
      continue
    }
    if (!inHunk) continue
    if (line.startsWith('+')) lines.add(next++)
    else if (line.startsWith('-')) continue
    else if (line.startsWith('\\'))
      continue // "\ No newline at end of file"
    else next++
  }
  return lines
}
