/** Path handling for entries of image layers: every path is made relative to the image root, never escaping it. */
import { posix } from 'node:path'

/**
 * Normalizes a tar entry name to a path relative to the image root (`etc/os-release`). Absolute names are
 * taken relative to the root, as the engine does. Returns undefined for names that leave the root (`../x`,
 * `a/../../x`) or are empty: such entries are ignored.
 */
export function normalizeEntryPath(name: string): string | undefined {
  if (!name || name.includes('\0')) return undefined
  const n = posix.normalize('/' + name.replace(/\\/g, '/'))
  // posix.normalize('/' + '../x') is '/x': detect escapes on the relative form instead.
  const rel = posix.normalize(name.replace(/\\/g, '/').replace(/^\/+/, ''))
  if (rel === '..' || rel.startsWith('../')) return undefined
  const out = n.replace(/^\/+/, '').replace(/\/+$/, '')
  return out === '' || out === '.' ? undefined : out
}

/** The ancestors of a path, nearest first: `a/b/c` → `a/b`, `a`. */
export function ancestors(path: string): string[] {
  const out: string[] = []
  let i = path.lastIndexOf('/')
  while (i > 0) {
    path = path.slice(0, i)
    out.push(path)
    i = path.lastIndexOf('/')
  }
  return out
}

/** Resolves a symlink target found at `linkPath` to a root-relative path; undefined if it leaves the root. */
export function resolveLink(linkPath: string, target: string): string | undefined {
  const base = target.startsWith('/') ? target : posix.join(posix.dirname('/' + linkPath), target)
  return normalizeEntryPath(posix.normalize('/' + base))
}
