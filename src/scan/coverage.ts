/**
 * Coverage: what the scan could see and check, as part of the result. The package databases of the final image
 * (read or not), the files skipped, whether an advisory source covers the OS and every package ecosystem. Each
 * gap is a `coverage` finding, so that a scan that could not see everything never looks clean:
 *
 * - SI6001: no advisory source covers the OS (CentOS 7, Amazon Linux 2), or it could not be identified;
 * - SI6002: a package database was found but not read;
 * - SI6003: a file the inventory reads was skipped (over a size cap, corrupt, an unsupported format);
 * - SI6004: the advisory source has nothing for an ecosystem the image's packages are in.
 *
 * They are `high` and gate by default; the `coverage` threshold or an ignore entry with a reason lowers that.
 */
import type { Finding, Location, ReportCoverage } from '../findings.js'
import type { LayerRecord } from './image/record.js'
import { hides } from './image/view.js'
import type { DatabaseCoverage, Inventory, InventoryPackage, SkippedFile } from './types.js'

const DATABASES: [RegExp, string][] = [
  [/^var\/lib\/dpkg\/status$/, 'dpkg'],
  [/^var\/lib\/dpkg\/status\.d\/[^/]+$/, 'dpkg-status.d'],
  [/^(?:usr\/)?lib\/apk\/db\/installed$/, 'apk'],
  [/^(?:var\/lib|usr\/lib\/sysimage|usr\/share)\/rpm\/rpmdb\.sqlite$/, 'rpm-sqlite'],
  [/^(?:var\/lib|usr\/lib\/sysimage|usr\/share)\/rpm\/Packages$/, 'rpm-bdb'],
  [/^(?:var\/lib|usr\/lib\/sysimage|usr\/share)\/rpm\/Packages\.db$/, 'rpm-ndb']
]

/** The format of an OS package database at this root-relative path, or undefined. */
export function databaseFormat(path: string): string | undefined {
  if (path.startsWith('var/lib/dpkg/status.d/') && /\.(?:md5sums|sha256sums)$/.test(path)) return undefined
  return DATABASES.find(([re]) => re.test(path))?.[1]
}

const OS_TYPES = new Set(['deb', 'apk', 'rpm'])

/** The files of the final view that the analyzers took, each with its packages and why it was not read. */
function finalFiles(records: LayerRecord[]): { path: string; packages: number; problem?: string }[] {
  const top = new Map<string, number>()
  records.forEach((r, i) => {
    for (const p of r.files.keys()) top.set(p, i)
  })
  const out: { path: string; packages: number; problem?: string }[] = []
  for (const [path, i] of top) {
    let deleted = false
    for (let j = i + 1; j < records.length && !deleted; j++) deleted = hides(records[j], path)
    if (deleted) continue
    const problem = records[i].problems?.get(path)
    const entry: { path: string; packages: number; problem?: string } = {
      path,
      packages: records[i].files.get(path)?.length ?? 0
    }
    if (problem) entry.problem = problem
    out.push(entry)
  }
  return out.sort((a, b) => a.path.localeCompare(b.path))
}

/** The databases found and the files skipped, from the layer records of one image. */
export function inventoryCoverage(records: LayerRecord[]): {
  databases: DatabaseCoverage[]
  skipped: SkippedFile[]
} {
  const databases: DatabaseCoverage[] = []
  const skipped: SkippedFile[] = []
  let statusD: DatabaseCoverage | undefined
  for (const f of finalFiles(records)) {
    const format = databaseFormat(f.path)
    if (format === 'dpkg-status.d') {
      // Distroless images hold one file per package: one database, read when every file was.
      if (!statusD) {
        statusD = { path: 'var/lib/dpkg/status.d', format, packages: 0, read: true }
        databases.push(statusD)
      }
      statusD.packages += f.packages
      if (f.problem) {
        statusD.read = false
        statusD.error = `${f.path}: ${f.problem}`
      }
    } else if (format) {
      const db: DatabaseCoverage = { path: f.path, format, packages: f.packages, read: !f.problem }
      if (f.problem) db.error = f.problem
      databases.push(db)
    } else if (f.problem) {
      skipped.push({ path: f.path, reason: f.problem })
    }
  }
  return { databases, skipped }
}

/** What matching could check, filled in by `matchVulnerabilities`. */
export interface MatchCoverage {
  /** Packages looked up in the advisory source (in an ecosystem it has advisories for). */
  checked: number
  /** OS packages whose OS no advisory source covers (not looked up). */
  uncoveredOs: number
  /** Ecosystem → packages in it that the source has no advisories for. */
  withoutAdvisories: Map<string, number>
}

export function newMatchCoverage(): MatchCoverage {
  return { checked: 0, uncoveredOs: 0, withoutAdvisories: new Map() }
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

const HELP =
  'A coverage gap fails the gate at `high`. To accept it, set the coverage threshold (the `coverage-threshold` ' +
  'input, or `severity-threshold: {coverage: critical}` in the config file), or ignore this rule id with a reason.'

function gap(ruleId: string, message: string, imagePath?: string, help = HELP): Finding {
  const f: Finding = { category: 'coverage', ruleId, severity: 'high', message, help }
  if (imagePath) f.imagePath = imagePath.startsWith('/') ? imagePath : `/${imagePath}`
  return f
}

function osName(inv: Inventory): string {
  const os = inv.os
  if (!os) return 'the OS'
  return os.prettyName ?? (os.versionId ? `${os.id} ${os.versionId}` : os.id)
}

/**
 * The coverage section of the report and its findings, from the inventory and what matching checked (absent
 * when the vulnerability lookup did not run).
 */
export function assessCoverage(
  inventory: Inventory,
  match: MatchCoverage | undefined,
  options: {
    /** Where the OS comes from (the final stage's FROM line), for the finding that it is not covered. */
    osLocation?: Location
  } = {}
): { coverage: ReportCoverage; findings: Finding[] } {
  const findings: Finding[] = []
  // Whoever filled the inventory in, a database with an error was not read.
  const databases = (inventory.databases ?? []).map((d) => ({
    ...d,
    read: (d as { read?: boolean }).read ?? d.error === undefined
  }))
  const skipped = inventory.skipped ?? []
  const osPackages = inventory.packages.filter((p: InventoryPackage) => OS_TYPES.has(p.type))
  const os = inventory.os
  const covered = Boolean(os?.ecosystem)

  if (!covered && (osPackages.length > 0 || databases.length > 0)) {
    const n = osPackages.length
    const what =
      n > 0 ? `so none of its ${plural(n, 'OS package')} was checked` : 'so no OS package was checked'
    const osGap = gap(
      'SI6001',
      os
        ? `${osName(inventory)}: no advisory source covers this OS, ${what}`
        : `the OS could not be identified (no /etc/os-release), ${what}`,
      undefined,
      `Use a base image whose distribution OSV covers (Debian, Ubuntu, Alpine, Red Hat UBI, Rocky, Alma, Azure Linux, SUSE, Wolfi, Chainguard). ${HELP}`
    )
    if (options.osLocation) osGap.location = { ...options.osLocation }
    findings.push(osGap)
  }
  for (const db of databases) {
    if (db.read) continue
    findings.push(
      gap(
        'SI6002',
        `${db.path} (${db.format}) could not be read (${db.error ?? 'unknown error'}): 0 of its packages were checked`,
        db.path
      )
    )
  }
  for (const s of skipped) {
    findings.push(
      gap('SI6003', `${s.path} was skipped (${s.reason}); the packages in it were not checked`, s.path)
    )
  }
  const without = [...(match?.withoutAdvisories ?? new Map<string, number>())]
    .map(([ecosystem, packages]) => ({ ecosystem, packages }))
    .sort((a, b) => a.ecosystem.localeCompare(b.ecosystem))
  for (const w of without) {
    findings.push(
      gap(
        'SI6004',
        `the advisory source has no advisories for ${w.ecosystem}, so ${plural(w.packages, 'package')} in it ${w.packages === 1 ? 'was' : 'were'} not checked`
      )
    )
  }

  const coverage: ReportCoverage = {
    databases,
    skipped,
    ecosystemsWithoutAdvisories: without,
    packages: inventory.packages.length,
    checked: match?.checked ?? 0,
    complete: false
  }
  if (os) {
    coverage.os = { id: os.id, covered }
    if (os.prettyName) coverage.os.name = os.prettyName
    if (os.ecosystem) coverage.os.ecosystem = os.ecosystem
  }
  // Packages with nothing to look up (no version) are counted, not gaps: `checked` shows them.
  coverage.complete = match !== undefined && findings.length === 0
  return { coverage, findings }
}
