/**
 * How coverage is shown: one verdict on what the scan saw, and the gaps. A result without vulnerabilities is
 * called clean ("no known vulnerabilities") only when everything was checked; otherwise it says what was not.
 */
import type { Report, ReportCoverage } from '../findings.js'
import { escapeMarkdown, truncate } from './escape.js'

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** The gaps in one short line each, as plain text (callers escape it). */
export function coverageGaps(c: ReportCoverage): string[] {
  const out: string[] = []
  if (c.os && !c.os.covered) out.push(`${c.os.name ?? c.os.id}: no advisory source covers this OS`)
  for (const d of c.databases)
    if (!d.read) out.push(`${d.path} (${d.format}) not read: ${d.error ?? 'unknown error'}`)
  for (const s of c.skipped) out.push(`${s.path} skipped: ${s.reason}`)
  for (const e of c.ecosystemsWithoutAdvisories)
    out.push(`no advisories for ${e.ecosystem} (${plural(e.packages, 'package')})`)
  return out
}

function unsuppressedVulnerabilities(report: Report): number {
  return report.findings.filter((f) => f.category === 'vulnerability' && !f.suppressed).length
}

/** What was seen, in one sentence: databases read, packages checked, the OS and its ecosystem. */
function seen(c: ReportCoverage): string {
  const read = c.databases.filter((d) => d.read).length
  const parts = [
    `${c.checked} of ${plural(c.packages, 'package')} checked`,
    `${read} of ${plural(c.databases.length, 'package database')} read`
  ]
  if (c.os) parts.push(`OS ${c.os.name ?? c.os.id}${c.os.ecosystem ? ` (${c.os.ecosystem})` : ''}`)
  return parts.join(', ')
}

/** The verdict on vulnerabilities, as plain text; undefined when no image was scanned. */
export function coverageVerdict(report: Report): string | undefined {
  const c = report.coverage
  if (!c) return undefined
  const vulns = unsuppressedVulnerabilities(report)
  if (c.complete)
    return vulns === 0
      ? `No known vulnerabilities: everything was checked (${seen(c)}).`
      : `Everything was checked (${seen(c)}).`
  const gaps = coverageGaps(c)
  const found = vulns === 0 ? 'No vulnerabilities found, but' : `${plural(vulns, 'vulnerability')} found, and`
  return `${found} not everything was checked (${seen(c)}); ${plural(gaps.length, 'gap')}: ${gaps.join('; ')}.`
}

/** Markdown lines for the PR comment and the job summary (empty when no image was scanned). */
export function coverageMarkdown(report: Report, max = 20): string[] {
  const c = report.coverage
  if (!c) return []
  if (c.complete) return [`**Coverage:** ${escapeMarkdown(coverageVerdict(report) ?? '')}`]
  const gaps = coverageGaps(c)
  const vulns = unsuppressedVulnerabilities(report)
  const lines = [
    `**⚠️ Coverage: not everything was checked** (${escapeMarkdown(seen(c))})` +
      (vulns === 0 ? ', so finding no vulnerabilities does not mean there are none:' : ':')
  ]
  for (const g of gaps.slice(0, max)) lines.push(`- ${escapeMarkdown(truncate(g, 300))}`)
  if (gaps.length > max) lines.push(`- …and ${gaps.length - max} more (see the coverage findings)`)
  return lines
}
