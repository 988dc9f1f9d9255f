/**
 * Turns the inventory into vulnerability findings: one query per distinct (ecosystem, OSV name, version), the
 * records the source returns are evaluated here (so the API and an offline directory give the same answer), and
 * advisories that reach the same package through the same CVE are merged into one finding.
 */
import type { Finding, Severity } from '../findings.js'
import { severityRank } from '../findings.js'
import type { MatchCoverage } from './coverage.js'
import { isOsvEcosystem, packageKey } from './osv/offline.js'
import { evaluateAffected } from './osv/range.js'
import type { OsvQuery, OsvRecord, OsvSource } from './osv/types.js'
import { severityOf, type SeverityResult } from './severity.js'
import type { InventoryPackage, OsInfo } from './types.js'
import { baseEcosystem, comparatorFor } from './versions/index.js'

export interface MatchOptions {
  /** Drop findings that have no fixed version. */
  ignoreUnfixed?: boolean
  /** The severity given to advisories with no score or rating (default `medium`). */
  unknownSeverity?: Severity
  /** The image's OS: its packages are looked up in every ecosystem of the release (`os.ecosystems`). */
  os?: OsInfo
  /** Filled in with what could be checked: packages looked up, and those no advisory source covers. */
  coverage?: MatchCoverage
}

/**
 * Ecosystems whose advisories name the source package (dpkg `Source:`, apk `o:`, rpm `SOURCERPM`) and its
 * version, as ossf/osv-schema's ecosystems.json says.
 */
const BY_SOURCE = new Set([
  'Debian',
  'Ubuntu',
  'Alpine',
  'Rocky Linux',
  'AlmaLinux',
  'Azure Linux',
  'SUSE',
  'openSUSE',
  'Mageia',
  'openEuler',
  'Alpaquita'
])

/**
 * Ecosystems whose advisories name binary packages, or either (Red Hat lists binary and source rpms; Wolfi's
 * and Chainguard's advisories use the origin package for its subpackages): both names are looked up.
 */
const BY_BOTH = new Set(['Red Hat', 'Wolfi', 'Chainguard', 'MinimOS', 'Photon OS'])

/**
 * The version of an rpm's source package: `SOURCERPM` carries no epoch, and OSV writes `E:V-R` with the epoch
 * the binary packages carry.
 */
function sourceVersionOf(pkg: InventoryPackage): string {
  const sv = pkg.sourceVersion || pkg.version
  if (pkg.type !== 'rpm' || sv.includes(':')) return sv
  const epoch = /^(\d+):/.exec(pkg.version)?.[1]
  return epoch ? `${epoch}:${sv}` : sv
}

/** The names and versions OSV knows a package by, in each ecosystem it is looked up in (first one first). */
export function osvQueriesFor(pkg: InventoryPackage, os?: OsInfo): OsvQuery[] {
  if (!pkg.ecosystem || !pkg.version || !pkg.name) return []
  // Go writes module versions with a `v` (`v0.17.0`) and its toolchain as `go1.21.5`; OSV's Go records do not.
  if (pkg.ecosystem === 'Go')
    return [{ ecosystem: 'Go', name: pkg.name, version: pkg.version.replace(/^(v|go)(?=\d)/, '') }]
  const ecosystems =
    os?.ecosystems && os.ecosystem === pkg.ecosystem && os.ecosystems.length > 0
      ? os.ecosystems
      : [pkg.ecosystem]
  const base = baseEcosystem(pkg.ecosystem)
  const names: { name: string; version: string }[] = []
  const bySource = { name: pkg.source || pkg.name, version: sourceVersionOf(pkg) }
  const byName = { name: pkg.name, version: pkg.version }
  if (BY_SOURCE.has(base)) names.push(pkg.source ? bySource : byName)
  else if (BY_BOTH.has(base)) {
    names.push(byName)
    if (pkg.source && pkg.source !== pkg.name) names.push(bySource)
  } else names.push(byName)
  return ecosystems.flatMap((ecosystem) => names.map((n) => ({ ecosystem, ...n })))
}

/** The first query of `osvQueriesFor`. */
export function osvQueryFor(pkg: InventoryPackage, os?: OsInfo): OsvQuery | undefined {
  return osvQueriesFor(pkg, os)[0]
}

const OS_TYPES = new Set(['deb', 'apk', 'rpm'])

interface Hit {
  record: OsvRecord
  fixed?: string
  severity: SeverityResult
}

function idsOf(r: OsvRecord): string[] {
  return [r.id, ...(r.aliases ?? []), ...(r.upstream ?? [])]
}

/** An advisory that covers several CVEs (a DSA or USN fixing three CVEs at once). */
function isBundle(r: OsvRecord): boolean {
  return new Set([...(r.aliases ?? []), ...(r.upstream ?? [])].filter((a) => a.startsWith('CVE-'))).size > 1
}

interface Group {
  /** The records of one vulnerability: they share an id, an alias or an upstream id. */
  members: Hit[]
  /** Advisories covering this vulnerability among others: listed as aliases, never merging two vulnerabilities. */
  attached: Hit[]
}

/**
 * Groups the hits of one package by vulnerability (union-find over ids, aliases and upstream ids). A record that
 * covers several CVEs is attached to each group it shares an id with, rather than merging them, so that every
 * CVE stays its own finding (and can be ignored on its own); alone, it is a finding of its own.
 */
function groupByAlias(hits: Hit[]): Group[] {
  const singles = hits.filter((h) => !isBundle(h.record))
  const bundles = hits.filter((h) => isBundle(h.record))
  const parent = singles.map((_, i) => i)
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])))
  const owner = new Map<string, number>()
  singles.forEach((h, i) => {
    for (const id of idsOf(h.record)) {
      const o = owner.get(id)
      if (o === undefined) owner.set(id, i)
      else parent[find(i)] = find(o)
    }
  })
  const groups = new Map<number, Group>()
  singles.forEach((h, i) => {
    const g = groups.get(find(i))
    if (g) g.members.push(h)
    else groups.set(find(i), { members: [h], attached: [] })
  })
  const out = [...groups.values()]
  for (const b of bundles) {
    const roots = new Set(
      idsOf(b.record)
        .map((id) => owner.get(id))
        .filter((o): o is number => o !== undefined)
        .map(find)
    )
    if (roots.size === 0) out.push({ members: [b], attached: [] })
    else for (const r of roots) groups.get(r)?.attached.push(b)
  }
  return out
}

function summaryOf(r: OsvRecord): string | undefined {
  if (r.summary?.trim()) return r.summary.trim()
  const first = r.details?.trim().split('\n')[0]
  if (!first) return undefined
  return first.length > 200 ? `${first.slice(0, 197)}...` : first
}

function toFinding(
  pkg: InventoryPackage,
  { members, attached }: Group,
  cmp: (a: string, b: string) => number
): Finding {
  const group = [...members, ...attached]
  // The primary record: the most severe, then the one with a score, then the smallest id, for stable output.
  const sorted = [...members].sort(
    (a, b) =>
      severityRank(b.severity.severity) - severityRank(a.severity.severity) ||
      Number(a.severity.unknown) - Number(b.severity.unknown) ||
      (b.severity.cvss ?? 0) - (a.severity.cvss ?? 0) ||
      a.record.id.localeCompare(b.record.id)
  )
  const primary = sorted[0]
  const id = primary.record.id
  const aliases = [
    ...new Set([...members.flatMap((h) => idsOf(h.record)), ...attached.map((h) => h.record.id)])
  ]
    .filter((a) => a !== id)
    .sort()
  // Every record of the group must be fixed: the highest fixed version; none when any of them has no fix.
  let fixedVersion: string | undefined
  if (group.every((h) => h.fixed !== undefined))
    for (const h of group)
      if (fixedVersion === undefined || cmp(h.fixed as string, fixedVersion) > 0) fixedVersion = h.fixed
  const cve = [id, ...aliases].find((a) => a.startsWith('CVE-')) ?? id
  const installed =
    pkg.source && pkg.source !== pkg.name
      ? `${pkg.name} ${pkg.version} (${pkg.source})`
      : `${pkg.name} ${pkg.version}`
  const message = fixedVersion
    ? `${installed} is affected by ${cve}; fixed in ${fixedVersion}`
    : `${installed} is affected by ${cve}; no fixed version is available`
  const references = [
    ...new Set(
      group
        .flatMap((h) => h.record.references ?? [])
        .sort((a, b) => Number(b.type === 'ADVISORY') - Number(a.type === 'ADVISORY'))
        .map((r) => r.url)
    )
  ].slice(0, 5)
  const finding: Finding = {
    category: 'vulnerability',
    ruleId: id,
    severity: primary.severity.severity,
    message,
    package: {
      name: pkg.name,
      version: pkg.version,
      ecosystem: pkg.ecosystem,
      ...(pkg.source ? { source: pkg.source } : {}),
      ...(pkg.sourceVersion ? { sourceVersion: pkg.sourceVersion } : {}),
      ...(pkg.purl ? { purl: pkg.purl } : {}),
      ...(pkg.path ? { path: pkg.path } : {})
    },
    vulnerability: {
      id,
      aliases,
      ...(summaryOf(primary.record) ? { summary: summaryOf(primary.record) } : {}),
      ...(fixedVersion ? { fixedVersion } : {}),
      ...(primary.severity.cvss !== undefined ? { cvss: primary.severity.cvss } : {}),
      ...(primary.severity.cvssVector ? { cvssVector: primary.severity.cvssVector } : {}),
      ...(primary.severity.unknown ? { severityUnknown: true } : {}),
      ...(references.length ? { references } : {})
    }
  }
  if (fixedVersion) finding.help = `upgrade ${pkg.name} to ${fixedVersion} or later`
  if (pkg.location) finding.location = { ...pkg.location }
  if (pkg.layer) finding.layer = { ...pkg.layer }
  return finding
}

export async function matchVulnerabilities(
  packages: InventoryPackage[],
  source: OsvSource,
  options: MatchOptions = {}
): Promise<Finding[]> {
  const unknownSeverity = options.unknownSeverity ?? 'medium'
  const keyOf = (q: OsvQuery): string =>
    `${q.ecosystem}\u0000${packageKey(q.ecosystem, q.name)}\u0000${q.version}`
  const queries: OsvQuery[] = []
  const slot = new Map<string, number>()
  const cov = options.coverage
  const perPackage = packages.map((pkg): number[] => {
    // OS packages of a release no advisory source covers are not looked up (the coverage finding says so).
    if (OS_TYPES.has(pkg.type) && !isOsvEcosystem(pkg.ecosystem)) {
      if (cov) cov.uncoveredOs++
      return []
    }
    return osvQueriesFor(pkg, options.os).map((q) => {
      const k = keyOf(q)
      let i = slot.get(k)
      if (i === undefined) {
        i = queries.length
        slot.set(k, i)
        queries.push(q)
      }
      return i
    })
  })
  if (queries.length === 0) return []
  const answers = await source.query(queries)
  if (cov) {
    // A package is checked when the source has advisories for one of the ecosystems it was looked up in.
    const known = new Map<string, boolean>()
    const has = (e: string): boolean => {
      let k = known.get(e)
      if (k === undefined) known.set(e, (k = source.hasEcosystem ? source.hasEcosystem(e) : true))
      return k
    }
    packages.forEach((pkg, p) => {
      const qs = perPackage[p]
      if (qs.length === 0) return
      if (qs.some((i) => has(queries[i].ecosystem))) cov.checked++
      else cov.withoutAdvisories.set(pkg.ecosystem, (cov.withoutAdvisories.get(pkg.ecosystem) ?? 0) + 1)
    })
  }

  // Evaluate each distinct query once.
  const hitsPerQuery: Hit[][] = queries.map((q, i) => {
    const hits: Hit[] = []
    const seen = new Set<string>()
    const name = packageKey(q.ecosystem, q.name)
    for (const record of answers[i] ?? []) {
      if (record.withdrawn || seen.has(record.id)) continue
      for (const affected of record.affected ?? []) {
        const p = affected.package
        if (!p || p.ecosystem !== q.ecosystem || packageKey(p.ecosystem, p.name) !== name) continue
        const r = evaluateAffected(q.version, affected, q.ecosystem)
        if (!r.affected) continue
        seen.add(record.id)
        hits.push({ record, fixed: r.fixed, severity: severityOf(record, affected, unknownSeverity) })
        break
      }
    }
    return hits
  })

  const findings: Finding[] = []
  packages.forEach((pkg, p) => {
    // One hit per advisory: the first query (the package's own ecosystem and name) that it affects.
    const seen = new Set<string>()
    const hits: Hit[] = []
    for (const qi of perPackage[p])
      for (const h of hitsPerQuery[qi])
        if (!seen.has(h.record.id)) {
          seen.add(h.record.id)
          hits.push(h)
        }
    if (hits.length === 0) return
    const cmp = comparatorFor(pkg.ecosystem)
    for (const group of groupByAlias(hits)) {
      const f = toFinding(pkg, group, cmp)
      if (options.ignoreUnfixed && !f.vulnerability?.fixedVersion) continue
      findings.push(f)
    }
  })
  findings.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.package?.name ?? '').localeCompare(b.package?.name ?? '') ||
      a.ruleId.localeCompare(b.ruleId)
  )
  return findings
}
