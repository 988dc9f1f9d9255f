/**
 * SemVer 2.0 ordering (npm, crates.io, Go and others) with the `semver` package. Go's `v` prefix is accepted, Go
 * pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`) are ordinary pre-releases, Go toolchain versions
 * (`go1.21`, `go1.21rc2`) read as `1.21.0` and `1.21.0-rc.2`, and build metadata such as `+incompatible` does not
 * take part in ordering.
 */
import semver from 'semver'

/** Go toolchain versions (`go1.21`, `go1.21rc2`) as the Go vulnerability database writes them (`1.21.0-rc.2`). */
const SHORT = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(alpha|beta|rc)(\d+))?$/

function parse(v: string): semver.SemVer | null {
  let s = v.trim().replace(/^(?:v|go)(?=\d)/, '')
  const m = SHORT.exec(s)
  if (m && (m[2] === undefined || m[3] === undefined || m[4] !== undefined))
    s = `${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}${m[4] ? `-${m[4]}.${m[5]}` : ''}`
  return semver.parse(s, { loose: true }) ?? null
}

/** Orders invalid versions below valid ones, and among themselves by their numeric-aware text. */
function fallback(a: string, b: string): number {
  return Math.sign(a.localeCompare(b, 'en', { numeric: true }))
}

export function compareSemver(a: string, b: string): number {
  const pa = parse(a)
  const pb = parse(b)
  if (pa && pb) return pa.compare(pb)
  if (pa) return 1
  if (pb) return -1
  return fallback(a, b)
}

export function isValidSemver(v: string): boolean {
  return parse(v) !== null
}
