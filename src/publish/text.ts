/**
 * The CLI's text rendering: findings grouped by file, then by line; findings without a line (image contents)
 * after them; ignored findings last; then the counts and the gate. Colour only when asked for (a TTY).
 * Text from images and advisories is stripped of control characters, so it cannot drive the terminal.
 */
import {
  SEVERITIES,
  compareFindings,
  countFindings,
  type Finding,
  type Report,
  type Severity
} from '../findings.js'
import { findingMessage } from './annotations.js'
import { coverageVerdict } from './coverage.js'
import { stripControl } from './escape.js'

export interface TextOptions {
  /** ANSI colours; see `colorWanted`. */
  color?: boolean
}

/** Colour when the stream is a TTY, unless `NO_COLOR` is set or `TERM=dumb`; `FORCE_COLOR` forces it. */
export function colorWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true
  if (env.TERM === 'dumb') return false
  return Boolean(stream.isTTY)
}

const SGR: Record<Severity | 'bold' | 'dim' | 'green' | 'red', string> = {
  critical: '\x1b[1;31m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  green: '\x1b[32m',
  red: '\x1b[1;31m'
}
const RESET = '\x1b[0m'

export function renderText(report: Report, options: TextOptions = {}): string {
  const paint = (style: keyof typeof SGR, text: string): string =>
    options.color ? `${SGR[style]}${text}${RESET}` : text
  const active = report.findings.filter((f) => !f.suppressed)
  const ignored = report.findings.filter((f) => f.suppressed)
  const out: string[] = []

  const byFile = new Map<string, Finding[]>()
  const unlocated: Finding[] = []
  for (const f of active) {
    if (!f.location) {
      unlocated.push(f)
      continue
    }
    const list = byFile.get(f.location.path) ?? []
    list.push(f)
    byFile.set(f.location.path, list)
  }
  const idWidth = Math.min(24, Math.max(4, ...report.findings.map((f) => f.ruleId.length)))

  for (const path of [...byFile.keys()].sort()) {
    out.push(paint('bold', clean(path)))
    const list = byFile
      .get(path)!
      .sort((a, b) => a.location!.startLine - b.location!.startLine || compareFindings(a, b))
    for (const f of list) out.push(...line(String(f.location!.startLine), f))
    out.push('')
  }
  if (unlocated.length > 0) {
    out.push(paint('bold', 'Image (no Dockerfile line)'))
    for (const f of unlocated.sort(compareFindings)) out.push(...line('-', f))
    out.push('')
  }
  if (ignored.length > 0) {
    out.push(paint('dim', `Ignored (${ignored.length})`))
    for (const f of ignored.sort(compareFindings)) {
      const where = f.location
        ? `${f.location.path}:${f.location.startLine}`
        : (f.imagePath ?? f.package?.name ?? '-')
      const s = f.suppressed!
      const why = `${s.source}${s.reason ? `: ${s.reason}` : ''}${s.expires ? ` (until ${s.expires})` : ''}`
      out.push(
        paint(
          'dim',
          `  ${clean(where)}  ${f.severity}  ${clean(f.ruleId)}  ${oneLine(f.message)}  [${oneLine(why)}]`
        )
      )
    }
    out.push('')
  }

  const counts = countFindings(report.findings)
  const bySeverity = SEVERITIES.map((s) => [s, active.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => paint(s, `${n} ${s}`))
  const total = `${counts.total} ${counts.total === 1 ? 'finding' : 'findings'}`
  out.push(
    `${total}${bySeverity.length > 0 ? `: ${bySeverity.join(', ')}` : ''}` +
      (counts.ignored > 0 ? ` (${counts.ignored} ignored)` : '')
  )
  const verdict = coverageVerdict(report)
  if (verdict) out.push(report.coverage?.complete ? verdict : paint('red', oneLine(verdict)))
  const b = report.baseline
  if (b?.found && b.counts) {
    const c = b.counts
    out.push(
      `Compared with ${clean(b.ref ?? '')}${b.digest ? `@${b.digest}` : ''}: ${c.new} new, ${c.fixed} fixed, ` +
        `${c.unchanged} unchanged, ${c.inherited} inherited.`
    )
    for (const f of report.fixed ?? [])
      out.push(paint('green', `  fixed  ${clean(f.ruleId)}  ${oneLine(f.message)}`))
  } else if (b && b.reason) {
    out.push(paint('dim', `No baseline: ${oneLine(b.reason)}.`))
  }
  const gate = report.gate
  if (gate.passed) out.push(paint('green', `Gate passed (threshold: ${gate.threshold}).`))
  else out.push(paint('red', `Gate failed: ${gate.failing} at or above the threshold (${gate.threshold}).`))
  for (const e of gate.errors ?? []) out.push(paint('red', `  could not run: ${oneLine(e)}`))
  return out.join('\n') + '\n'

  function line(where: string, f: Finding): string[] {
    const sev = paint(f.severity, f.severity.padEnd(8))
    const head = `  ${where.padStart(5)}  ${sev}  ${clean(f.ruleId).padEnd(idWidth)}  `
    const indent = ' '.repeat(2 + 5 + 2 + 8 + 2 + idWidth + 2)
    const [first, ...rest] = findingMessage(f).split('\n').map(clean)
    return [head + first, ...rest.map((r) => indent + paint('dim', r))]
  }
}

function clean(text: string): string {
  return stripControl(text).replace(/[\r\n\t]+/g, ' ')
}

function oneLine(text: string): string {
  return clean(text)
}
