/**
 * SARIF 2.1.0 for GitHub code scanning: one run per report, one rule per rule or advisory id with help text,
 * `security-severity` for vulnerabilities, results with locations, ignored findings as suppressed results, and a
 * per-image `automationDetails.id` so that two images' uploads do not close each other's alerts.
 */
import { createHash } from 'node:crypto'
import type { Location as SarifLocation, Log, Notification, ReportingDescriptor, Result } from 'sarif'
import { severityRank, type Finding, type Report, type Severity } from '../findings.js'
import { normalizePath } from './changes.js'
import { escapeMarkdown } from './escape.js'
import { findingMessage } from './annotations.js'
import { coverageGaps } from './coverage.js'

export interface SarifOptions {
  /** The code-scanning category, one per image (e.g. `secure-image/ghcr.io/org/app`). */
  category: string
  /** Where results without a location are put (line 1), so that code scanning can show them. */
  dockerfilePath?: string
}

const LEVEL: Record<Severity, Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note'
}

/** GitHub maps security-severity to bands: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. */
const BAND_SCORE: Record<Severity, number> = { critical: 9.5, high: 8.0, medium: 5.5, low: 2.0, info: 0.0 }

export function bandOf(score: number): Severity {
  if (score >= 9.0) return 'critical'
  if (score >= 7.0) return 'high'
  if (score >= 4.0) return 'medium'
  if (score > 0) return 'low'
  return 'info'
}

/**
 * The `security-severity` of a vulnerability: its CVSS score when that falls in the finding's severity band,
 * else the band's value (the finding's severity is what the gate used, and code scanning must agree with it).
 */
export function securitySeverity(f: Finding): string {
  const cvss = f.vulnerability?.cvss
  const score =
    typeof cvss === 'number' && cvss >= 0 && cvss <= 10 && bandOf(cvss) === f.severity
      ? cvss
      : BAND_SCORE[f.severity]
  return score.toFixed(1)
}

export function toSarif(report: Report, options: SarifOptions): Log {
  const rules: ReportingDescriptor[] = []
  const ruleIndex = new Map<string, number>()
  const ruleSeverity = new Map<string, Severity>()
  const results: Result[] = []

  for (const f of report.findings) {
    let index = ruleIndex.get(f.ruleId)
    if (index === undefined) {
      index = rules.length
      ruleIndex.set(f.ruleId, index)
      rules.push(ruleFor(f))
      ruleSeverity.set(f.ruleId, f.severity)
    } else if (severityRank(f.severity) > severityRank(ruleSeverity.get(f.ruleId)!)) {
      ruleSeverity.set(f.ruleId, f.severity)
      rules[index] = ruleFor(f)
    }
    results.push(resultFor(f, index, options))
  }
  // Fixed findings: results the baseline had and this run no longer has (`baselineState: absent`). They are
  // `kind: pass` with level `none`, so that no tool reads them as open problems.
  if (report.baseline?.found) {
    for (const f of report.fixed ?? []) {
      let index = ruleIndex.get(f.ruleId)
      if (index === undefined) {
        index = rules.length
        ruleIndex.set(f.ruleId, index)
        rules.push(ruleFor(f))
        ruleSeverity.set(f.ruleId, f.severity)
      }
      const r = resultFor(f, index, options)
      r.kind = 'pass'
      r.level = 'none'
      r.baselineState = 'absent'
      r.properties = { ...r.properties, baseline: 'fixed' }
      results.push(r)
    }
  }

  const id = options.category.endsWith('/') ? options.category : `${options.category}/`
  const errors = report.gate.errors ?? []
  // Checks that could not run are errors; what the scan could not see is a warning beside its findings.
  const notifications: Notification[] = [
    ...errors.map((e) => ({ level: 'error' as const, message: { text: e } })),
    ...(report.coverage ? coverageGaps(report.coverage) : []).map((g) => ({
      level: 'warning' as const,
      message: { text: `not checked: ${g}` }
    }))
  ]
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            rules
          }
        },
        automationDetails: { id },
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {})
          }
        ],
        results,
        properties: {
          ...(report.image?.ref ? { imageRef: report.image.ref } : {}),
          ...(report.image?.digest ? { imageDigest: report.image.digest } : {}),
          gatePassed: report.gate.passed,
          gateThreshold: report.gate.threshold,
          ...(report.coverage ? { coverage: report.coverage } : {}),
          ...(report.gate.failOn ? { gateFailOn: report.gate.failOn } : {}),
          ...(report.baseline
            ? {
                baseline: {
                  found: report.baseline.found,
                  ...(report.baseline.ref ? { ref: report.baseline.ref } : {}),
                  ...(report.baseline.digest ? { digest: report.baseline.digest } : {}),
                  ...(report.baseline.reason ? { reason: report.baseline.reason } : {})
                }
              }
            : {})
        }
      }
    ]
  }
}

function ruleFor(f: Finding): ReportingDescriptor {
  const short = f.category === 'vulnerability' ? (f.vulnerability?.summary ?? f.message) : f.message
  const helpText = ruleHelp(f)
  const tags = f.category === 'lint' ? ['dockerfile', 'lint'] : ['security', f.category]
  const rule: ReportingDescriptor = {
    id: f.ruleId,
    name: f.ruleId,
    shortDescription: { text: oneLine(short) },
    fullDescription: { text: short },
    help: { text: helpText, markdown: escapeMarkdown(helpText) },
    defaultConfiguration: { level: LEVEL[f.severity] },
    properties: {
      tags,
      precision: 'very-high',
      ...(f.category === 'vulnerability' ? { 'security-severity': securitySeverity(f) } : {})
    }
  }
  const uri = helpUri(f)
  if (uri) rule.helpUri = uri
  return rule
}

function ruleHelp(f: Finding): string {
  if (f.category !== 'vulnerability') return f.help ?? f.message
  const v = f.vulnerability
  const lines = [v?.summary ?? f.message]
  if (v?.aliases && v.aliases.length > 0) lines.push(`Also known as: ${v.aliases.join(', ')}.`)
  if (f.help) lines.push(f.help)
  else if (v?.fixedVersion && f.package)
    lines.push(`Upgrade ${f.package.name} to ${v.fixedVersion} or later.`)
  else lines.push('No fixed version is known yet.')
  return lines.join('\n')
}

function helpUri(f: Finding): string | undefined {
  if (/^DL\d{4}$/.test(f.ruleId)) return `https://github.com/hadolint/hadolint/wiki/${f.ruleId}`
  if (/^SC\d{4}$/.test(f.ruleId)) return `https://www.shellcheck.net/wiki/${f.ruleId}`
  if (f.category === 'vulnerability')
    return `https://osv.dev/vulnerability/${encodeURIComponent(f.vulnerability?.id ?? f.ruleId)}`
  return undefined
}

function resultFor(f: Finding, ruleIndex: number, options: SarifOptions): Result {
  const result: Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: findingMessage(f) },
    locations: locationsFor(f, options),
    partialFingerprints: { 'secureImage/v1': fingerprint(f) },
    properties: {
      severity: f.severity,
      category: f.category,
      ...(f.package ? { package: f.package } : {}),
      ...(f.vulnerability?.fixedVersion ? { fixedVersion: f.vulnerability.fixedVersion } : {}),
      ...(f.vulnerability?.aliases?.length ? { aliases: f.vulnerability.aliases } : {}),
      ...(f.layer ? { layer: f.layer } : {}),
      ...(f.imagePath ? { imagePath: f.imagePath } : {}),
      ...(f.baseline ? { baseline: f.baseline } : {})
    }
  }
  // SARIF 2.1.0 §3.27.24: new, unchanged (inherited findings were in the baseline too), absent (fixed).
  if (f.baseline) result.baselineState = f.baseline === 'new' ? 'new' : 'unchanged'
  if (f.suppressed) {
    const s = f.suppressed
    const justification = `${s.source}${s.reason ? `: ${s.reason}` : ''}${s.expires ? ` (until ${s.expires})` : ''}`
    result.suppressions = [{ kind: s.source === 'pragma' ? 'inSource' : 'external', justification }]
  }
  return result
}

function locationsFor(f: Finding, options: SarifOptions): SarifLocation[] {
  const path = f.location?.path ?? options.dockerfilePath
  const location: SarifLocation = {}
  if (path) {
    const startLine = f.location?.startLine ?? 1
    const endLine = Math.max(startLine, f.location?.endLine ?? startLine)
    location.physicalLocation = {
      artifactLocation: { uri: encodeURI(normalizePath(path)) },
      region: { startLine, endLine }
    }
  }
  const logical = f.imagePath ?? f.package?.purl
  if (logical) location.logicalLocations = [{ fullyQualifiedName: logical, kind: 'resource' }]
  return location.physicalLocation || location.logicalLocations ? [location] : []
}

/** Stable across runs: vulnerabilities by package (not line), other findings by file, line and rule. */
function fingerprint(f: Finding): string {
  const parts =
    f.category === 'vulnerability'
      ? [f.ruleId, f.package?.name, f.package?.version, f.package?.path, f.location?.path]
      : [f.ruleId, f.location?.path, f.location?.startLine, f.imagePath, f.package?.name]
  return createHash('sha256')
    .update(parts.map((p) => String(p ?? '')).join('\0'))
    .digest('hex')
    .slice(0, 32)
}

function oneLine(text: string): string {
  const line = text.split(/\r?\n/)[0]
  return line.length > 200 ? `${line.slice(0, 199)}…` : line
}
