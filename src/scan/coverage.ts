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
import type { Inventory, InventoryPackage } from './types.js'

const OS_TYPES = new Set(['deb', 'apk', 'rpm'])

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
  // A database that could not be read is reported once, as a database (SI6002), not again as a skipped file.
  const databasePaths = new Set((inventory.databases ?? []).map((d) => d.path))
  const skipped = (inventory.skipped ?? []).filter((s) => !databasePaths.has(s.path))
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
