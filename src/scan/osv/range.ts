/**
 * Whether a version is affected by an OSV `affected[]` entry, evaluated as the OSV schema defines it: events of
 * each ECOSYSTEM or SEMVER range are sorted by version and walked (`introduced` opens, `fixed` and `last_affected`
 * close, `limit` bounds the range), and the explicit `versions` list adds exact versions. GIT ranges name
 * commits, which an image inventory does not have, so they are left to the `versions` list.
 */
import { comparatorFor, compareSemver, type Comparator } from '../versions/index.js'
import type { OsvAffected, OsvEvent, OsvRange } from './types.js'

export interface AffectedResult {
  affected: boolean
  /** The version that fixes it, when the range that matched gives one. */
  fixed?: string
}

interface FlatEvent {
  kind: 'introduced' | 'fixed' | 'last_affected' | 'limit'
  version: string
}

function flatten(events: OsvEvent[]): FlatEvent[] {
  const out: FlatEvent[] = []
  for (const e of events) {
    if (e.introduced !== undefined) out.push({ kind: 'introduced', version: e.introduced })
    if (e.fixed !== undefined) out.push({ kind: 'fixed', version: e.fixed })
    if (e.last_affected !== undefined) out.push({ kind: 'last_affected', version: e.last_affected })
    if (e.limit !== undefined) out.push({ kind: 'limit', version: e.limit })
  }
  return out
}

/** `0` in `introduced` means "before every version"; `*` in `limit` means "no limit". */
function cmpEventVersion(cmp: Comparator, a: string, b: string): number {
  if (a === b) return 0
  if (a === '0') return -1
  if (b === '0') return 1
  return cmp(a, b)
}

/** Evaluates one range; `fixed` is the first `fixed` event above the version once it is found affected. */
export function evaluateRange(version: string, range: OsvRange, cmp: Comparator): AffectedResult {
  const events = flatten(range.events ?? [])
  const limits = events.filter((e) => e.kind === 'limit' && e.version !== '*')
  if (limits.length > 0 && !limits.some((l) => cmp(version, l.version) < 0)) return { affected: false }
  const sorted = events
    .filter((e) => e.kind !== 'limit')
    .sort((a, b) => cmpEventVersion(cmp, a.version, b.version))
  let affected = false
  for (const e of sorted) {
    if (e.kind === 'introduced') {
      if (e.version === '0' || cmp(version, e.version) >= 0) affected = true
    } else if (e.kind === 'fixed') {
      if (cmp(version, e.version) >= 0) affected = false
    } else if (e.kind === 'last_affected') {
      if (cmp(version, e.version) > 0) affected = false
    }
  }
  if (!affected) return { affected: false }
  const fix = sorted.find((e) => e.kind === 'fixed' && cmp(version, e.version) < 0)
  return fix ? { affected: true, fixed: fix.version } : { affected: true }
}

/**
 * Evaluates an `affected[]` entry (whose package was already matched) for one version. When several ranges
 * match, the lowest fixed version above the installed one is reported; when one of them has no fix, none is.
 */
export function evaluateAffected(version: string, affected: OsvAffected, ecosystem: string): AffectedResult {
  const eco = comparatorFor(ecosystem)
  let hit = false
  let unfixed = false
  let fixed: string | undefined
  for (const range of affected.ranges ?? []) {
    let cmp: Comparator
    if (range.type === 'ECOSYSTEM') cmp = eco
    else if (range.type === 'SEMVER') cmp = compareSemver
    else continue
    const r = evaluateRange(version, range, cmp)
    if (!r.affected) continue
    hit = true
    if (r.fixed === undefined) unfixed = true
    else if (fixed === undefined || cmp(r.fixed, fixed) < 0) fixed = r.fixed
  }
  if (!hit && affected.versions?.some((v) => v === version || eco(v, version) === 0)) {
    hit = true
    unfixed = true
  }
  if (!hit) return { affected: false }
  return unfixed || fixed === undefined ? { affected: true } : { affected: true, fixed }
}
