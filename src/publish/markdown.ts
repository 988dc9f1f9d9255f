/**
 * The Markdown report shared by the sticky PR comment and the job summary: a verdict line, a table of counts
 * per category and severity, one collapsible section per stage (most important findings first), then the
 * ignored findings. It is kept under a byte limit by leaving out the least severe rows, and says so.
 */
import {
  CATEGORIES,
  SEVERITIES,
  compareFindings,
  countFindings,
  severityRank,
  type Category,
  type Finding,
  type Report,
  type Severity
} from '../findings.js'
import { ChangedLines } from './changes.js'
import { coverageMarkdown } from './coverage.js'
import { codeSpan, escapeMarkdown, truncate } from './escape.js'

export interface MarkdownOptions {
  /** The image as the user named it. */
  image: string
  pushed: boolean
  /** The references that were pushed. */
  refs: string[]
  /** Maximum size of the result, in UTF-8 bytes. */
  limit: number
  /** Lines the pull request changed: findings on them are marked new and listed first. */
  changed?: ChangedLines
  /** Put first, verbatim (e.g. the hidden marker of the sticky comment). */
  marker?: string
  /** Why rows may be left out, e.g. `a PR comment is limited to 65,536 characters`. */
  limitReason?: string
  /** Where the rows that were left out can be read, e.g. `the job summary, the SARIF file and the JSON report`. */
  elsewhere?: string
  /** The job's matrix values (canonical JSON), shown under the verdict. */
  matrix?: string
}

/** Sections when a baseline was found: new and fixed lead, open; unchanged and inherited are collapsed. */
type BaselineSection = 'new' | 'fixed' | 'unchanged' | 'inherited'
type Section = Category | BaselineSection | 'ignored'

const BASELINE_TITLES: Record<BaselineSection, string> = {
  new: '🆕 New in this change',
  fixed: '✅ Fixed by this change',
  unchanged: 'Unchanged',
  inherited: 'Inherited from the base image'
}

/** Which rows are left out first when the report is too long: the backlog before what changed. */
const DROP_PRIORITY: Record<Section, number> = {
  ignored: 0,
  inherited: 1,
  unchanged: 2,
  fixed: 3,
  new: 4,
  lint: 5,
  policy: 5,
  vulnerability: 5,
  secret: 5,
  config: 5,
  coverage: 5
}

export const CATEGORY_TITLES: Record<Category, string> = {
  lint: 'Dockerfile lint',
  policy: 'Base image policy',
  vulnerability: 'Vulnerabilities',
  secret: 'Secrets',
  config: 'Image configuration',
  coverage: 'Coverage gaps'
}

const SEVERITY_ICON: Record<Severity, string> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '🔵',
  info: '⚪'
}

const MESSAGE_MAX = 400
const FIX_MAX = 240

interface Row {
  index: number
  finding: Finding
  section: Section
  isNew: boolean
  fixable: boolean
}

/** A vulnerability with a fixed version: upgrading the package removes it. */
export function isFixable(f: Finding): boolean {
  return f.category === 'vulnerability' && Boolean(f.vulnerability?.fixedVersion)
}

/** Display order: new first, then fixable, then most severe. */
function displayOrder(a: Row, b: Row): number {
  return (
    Number(b.isNew) - Number(a.isNew) ||
    Number(b.fixable) - Number(a.fixable) ||
    compareFindings(a.finding, b.finding)
  )
}

/** Drop order: ignored rows first, then the least severe, then old before new and unfixable before fixable. */
function dropOrder(a: Row, b: Row): number {
  return (
    DROP_PRIORITY[a.section] - DROP_PRIORITY[b.section] ||
    severityRank(a.finding.severity) - severityRank(b.finding.severity) ||
    Number(a.isNew) - Number(b.isNew) ||
    Number(a.fixable) - Number(b.fixable) ||
    -displayOrder(a, b)
  )
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** Renders the report as Markdown no larger than `options.limit` bytes. */
export function renderMarkdown(report: Report, options: MarkdownOptions): string {
  const changed = options.changed ?? ChangedLines.empty()
  const compared = Boolean(report.baseline?.found)
  const rows: Row[] = report.findings.map((f, index) => ({
    index,
    finding: f,
    section: f.suppressed ? 'ignored' : compared ? (f.baseline ?? 'new') : f.category,
    isNew: compared ? f.baseline === 'new' : changed.isNew(f),
    fixable: isFixable(f)
  }))
  if (compared) {
    for (const f of report.fixed ?? []) {
      rows.push({ index: rows.length, finding: f, section: 'fixed', isNew: false, fixable: false })
    }
  }
  rows.sort(displayOrder)
  const drop = [...rows].sort(dropOrder)
  const render = (dropped: number): string =>
    renderWith(report, options, rows, new Set(drop.slice(0, dropped)))

  const full = render(0)
  if (byteLength(full) <= options.limit) return full
  let lo = 1
  let hi = drop.length
  if (byteLength(render(hi)) > options.limit) return hardCut(render(hi), options.limit)
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (byteLength(render(mid)) <= options.limit) hi = mid
    else lo = mid + 1
  }
  return render(lo)
}

function hardCut(text: string, limit: number): string {
  const note = '\n\n_The report was cut here to fit the size limit._\n'
  let cut = text.slice(0, Math.max(0, limit - byteLength(note)))
  while (byteLength(cut) + byteLength(note) > limit) cut = cut.slice(0, -64)
  return cut + note
}

function renderWith(report: Report, options: MarkdownOptions, rows: Row[], dropped: Set<Row>): string {
  const out: string[] = []
  if (options.marker) out.push(options.marker)
  out.push(...verdict(report, options), '')
  const coverage = coverageMarkdown(report)
  if (coverage.length > 0) out.push(...coverage, '')
  const reason = options.limitReason ?? 'the report is limited in size'
  const elsewhere = options.elsewhere ?? 'the SARIF file and the JSON report'
  const leftOut = (all: Row[], shown: Row[]): string[] => {
    const left = all.length - shown.length
    return left > 0
      ? [
          `_${left} less severe ${plural(left, 'finding')} not shown here (${reason}); all of them are in ${elsewhere}._`,
          ''
        ]
      : []
  }
  const compared = Boolean(report.baseline?.found)
  out.push(...baselineLines(report))
  if (compared) {
    // New and fixed lead, in the open.
    for (const section of ['new', 'fixed'] as const) {
      const all = rows.filter((r) => r.section === section)
      const shown = all.filter((r) => !dropped.has(r))
      out.push(`#### ${BASELINE_TITLES[section]}: ${all.length === 0 ? 'none' : sectionCounts(all)}`, '')
      if (shown.length > 0) out.push(...table(section, shown), '')
      out.push(...leftOut(all, shown))
    }
  }
  out.push(...adviceLines(report))
  out.push(...countsTable(report), '')
  const collapsed: Section[] = compared ? ['unchanged', 'inherited', 'ignored'] : [...CATEGORIES, 'ignored']
  for (const section of collapsed) {
    const all = rows.filter((r) => r.section === section)
    if (all.length === 0) continue
    const shown = all.filter((r) => !dropped.has(r))
    out.push(`<details><summary><b>${sectionTitle(section)}</b>: ${sectionCounts(all)}</summary>`, '')
    if (shown.length > 0) {
      out.push(...table(section, shown))
      out.push('')
    }
    out.push(...leftOut(all, shown))
    out.push('</details>', '')
  }
  out.push(`<sub>${escapeMarkdown(`${report.tool.name} ${report.tool.version}`)}</sub>`, '')
  return out.join('\n')
}

function verdict(report: Report, options: MarkdownOptions): string[] {
  const { gate } = report
  const lines: string[] = []
  const img = codeSpan(options.image)
  const scope = gate.failOn === 'new' ? ', new findings only' : ''
  if (gate.passed)
    lines.push(`### ✅ secure-image: ${img} passed the gate (threshold: ${gate.threshold}${scope})`)
  else lines.push(`### ❌ secure-image: ${img} failed the gate (threshold: ${gate.threshold}${scope})`)
  if (options.matrix) lines.push(`Matrix: ${codeSpan(options.matrix)}`)
  if (options.pushed) {
    const refs = options.refs.length > 0 ? options.refs.map(codeSpan).join(', ') : img
    const digest = report.image?.digest ? ` at ${codeSpan(report.image.digest)}` : ''
    lines.push(`**Pushed** ${refs}${digest}.`)
  } else {
    lines.push(gate.passed ? '**Not pushed.**' : '**Not pushed**: nothing is pushed unless the gate passes.')
  }
  if (gate.failing > 0) {
    lines.push('', `${gate.failing} ${plural(gate.failing, 'finding')} at or above the threshold.`)
  }
  if (gate.errors && gate.errors.length > 0) {
    lines.push('', 'Checks that could not run (the gate fails closed):')
    for (const e of gate.errors) lines.push(`- ${escapeMarkdown(truncate(e, MESSAGE_MAX))}`)
  }
  return lines
}

function countsTable(report: Report): string[] {
  const counts = countFindings(report.findings)
  const head = `| Category | ${SEVERITIES.map(cap).join(' | ')} | Total |`
  const sep = `|---|${SEVERITIES.map(() => '--:').join('|')}|--:|`
  const lines = [head, sep]
  const totals: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 }
  for (const c of CATEGORIES) {
    const row = counts[c]
    const sum = SEVERITIES.reduce((n, s) => n + row[s], 0)
    for (const s of SEVERITIES) totals[s] += row[s]
    lines.push(`| ${CATEGORY_TITLES[c]} | ${SEVERITIES.map((s) => String(row[s])).join(' | ')} | ${sum} |`)
  }
  lines.push(`| **Total** | ${SEVERITIES.map((s) => `**${totals[s]}**`).join(' | ')} | **${counts.total}** |`)
  if (counts.ignored > 0)
    lines.push('', `${counts.ignored} ignored ${plural(counts.ignored, 'finding')} (listed last).`)
  return lines
}

function sectionTitle(section: Section): string {
  if (section === 'ignored') return 'Ignored'
  return section in BASELINE_TITLES
    ? BASELINE_TITLES[section as BaselineSection]
    : CATEGORY_TITLES[section as Category]
}

/** What the findings were compared with, or why they were not. */
function baselineLines(report: Report): string[] {
  const b = report.baseline
  if (!b) return []
  if (!b.found) {
    const failOnNew = report.gate.failOn !== undefined
    return [
      `> **No baseline**: ${escapeMarkdown(truncate(b.reason ?? 'none was found', MESSAGE_MAX))}. ` +
        `Findings are not told apart as new or old${failOnNew ? '; with `fail-on: new` every finding gates' : ''}.`,
      ''
    ]
  }
  const c = b.counts ?? { new: 0, fixed: 0, unchanged: 0, inherited: 0 }
  const at = b.digest ? ` at ${codeSpan(b.digest)}` : ''
  const how = b.source === 'attestation' ? 'its attested results' : 'a scan of it'
  return [
    `Compared with ${codeSpan(b.ref ?? '')}${at} (${how}): **${c.new} new**, **${c.fixed} fixed**, ` +
      `${c.unchanged} unchanged, ${c.inherited} inherited from the base image.`,
    ''
  ]
}

/** Base-image advice, when inherited vulnerabilities dominate. */
function adviceLines(report: Report): string[] {
  const a = report.advice
  if (!a) return []
  const head =
    `💡 **${a.inherited} of ${a.total} ${a.total === 1 ? 'vulnerability' : 'vulnerabilities'} came with the base image** ` +
    `${codeSpan(a.base)}.`
  if (a.candidate && a.fixable !== undefined) {
    return [`${head} Moving to ${codeSpan(a.candidate)} would fix ${a.fixable} of them.`, '']
  }
  return [`${head} A newer base may fix them (${escapeMarkdown(truncate(a.note ?? '', FIX_MAX))}).`, '']
}

function sectionCounts(rows: Row[]): string {
  const parts = [`${rows.length} ${plural(rows.length, 'finding')}`]
  const bySeverity = SEVERITIES.map((s) => [s, rows.filter((r) => r.finding.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
  parts.push(bySeverity.join(', '))
  const fixable = rows.filter((r) => r.fixable).length
  const fresh = rows.filter((r) => r.isNew).length
  if (fixable > 0) parts.push(`${fixable} fixable`)
  if (fresh > 0 && rows.some((r) => r.section !== 'new')) parts.push(`${fresh} new in this pull request`)
  return parts.join(' · ')
}

function table(section: Section, rows: Row[]): string[] {
  const byCategory = (CATEGORIES as readonly string[]).includes(section)
  const last =
    section === 'vulnerability'
      ? 'Fixed in'
      : section === 'ignored'
        ? 'Ignored by'
        : byCategory
          ? 'How to fix'
          : 'Fix'
  const id =
    section === 'vulnerability'
      ? 'Advisory'
      : byCategory || section === 'ignored'
        ? 'Rule'
        : 'Rule or advisory'
  const lines = [`| Severity | ${id} | Where | Finding | ${last} |`, '|---|---|---|---|---|']
  for (const r of rows) {
    const f = r.finding
    const sev = `${SEVERITY_ICON[f.severity]} ${f.severity}${r.isNew ? ' 🆕' : ''}`
    lines.push(`| ${sev} | ${codeSpan(f.ruleId)} | ${where(f)} | ${message(f)} | ${lastCell(section, f)} |`)
  }
  return lines
}

function where(f: Finding): string {
  const parts: string[] = []
  if (f.location) {
    const end =
      f.location.endLine && f.location.endLine !== f.location.startLine ? `-${f.location.endLine}` : ''
    parts.push(codeSpan(`${f.location.path}:${f.location.startLine}${end}`))
  }
  if (f.package) parts.push(codeSpan(`${f.package.name} ${f.package.version}`))
  if (f.imagePath) parts.push(codeSpan(f.imagePath))
  if (f.layer?.inherited) parts.push('base image')
  return parts.join('<br>') || '—'
}

function message(f: Finding): string {
  return escapeMarkdown(truncate(f.message, MESSAGE_MAX))
}

function lastCell(section: Section, f: Finding): string {
  if (section === 'ignored') {
    const s = f.suppressed
    if (!s) return ''
    const text = `${s.source}${s.reason ? `: ${s.reason}` : ''}${s.expires ? ` (until ${s.expires})` : ''}`
    return escapeMarkdown(truncate(text, FIX_MAX))
  }
  if (f.category === 'vulnerability') {
    return f.vulnerability?.fixedVersion
      ? codeSpan(truncate(f.vulnerability.fixedVersion, FIX_MAX))
      : 'no fix yet'
  }
  return f.help ? escapeMarkdown(truncate(f.help, FIX_MAX)) : ''
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

export function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`
}
