/**
 * The one type every stage speaks. Lint, policy, scan and config checks all return `Finding`s; the gate, the
 * report, SARIF, the PR comment and the CLI each have one loop over them.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const
export type Severity = (typeof SEVERITIES)[number]

export const CATEGORIES = ['lint', 'policy', 'vulnerability', 'secret', 'config', 'coverage'] as const
export type Category = (typeof CATEGORIES)[number]

export interface Location {
  /** The path as the user gave it (e.g. `Dockerfile` or `app/Dockerfile`), never made absolute. */
  path: string
  startLine: number
  endLine?: number
}

export interface PackageRef {
  name: string
  version: string
  /** OSV ecosystem name, e.g. `Debian:12`, `Alpine:v3.19`, `npm`, `PyPI`, `Go`. */
  ecosystem: string
  /** Source package (dpkg `Source:`, apk `o:`), which OSV keys Debian, Ubuntu and Alpine by. */
  source?: string
  sourceVersion?: string
  purl?: string
  /** Path inside the image where the package was found (for language packages and binaries). */
  path?: string
}

export interface VulnerabilityRef {
  id: string
  aliases: string[]
  summary?: string
  fixedVersion?: string
  cvss?: number
  cvssVector?: string
  /** True when the severity came from no score or rating and was defaulted. */
  severityUnknown?: boolean
  references?: string[]
}

export interface LayerRef {
  digest: string
  createdBy?: string
  /** True when the layer came with the base image rather than from this Dockerfile's final stage. */
  inherited?: boolean
}

export interface Suppression {
  /** Where the suppression came from: `pragma`, `.hadolint.yaml`, `config`, `.secure-image-ignore`, `.trivyignore`. */
  source: string
  reason?: string
  expires?: string
}

export interface Finding {
  category: Category
  /** The rule id (`DL3008`, `SI1001`) or, for a vulnerability, the advisory id. */
  ruleId: string
  severity: Severity
  /** One sentence: what is wrong. */
  message: string
  /** How to fix it, when the rule knows. */
  help?: string
  location?: Location
  package?: PackageRef
  vulnerability?: VulnerabilityRef
  layer?: LayerRef
  /** Path inside the image, for secrets and config findings. */
  imagePath?: string
  /** Set when an ignore entry or pragma matched: the finding is reported as ignored and never gates. */
  suppressed?: Suppression
  /** How the finding compares with the baseline (see src/baseline/), when a baseline was found. */
  baseline?: BaselineState
}

/** new: not in the baseline; unchanged: in it; inherited: in it, and from the base image's layers. */
export type BaselineState = 'new' | 'unchanged' | 'inherited'

/** What the findings were compared with. */
export interface BaselineInfo {
  /** True when a baseline was found and the findings carry `baseline`. */
  found: boolean
  /** The image compared with, as resolved (`repo:tag`), and its manifest digest. */
  ref?: string
  digest?: string
  /** Where the baseline's findings came from. */
  source?: 'scan' | 'attestation'
  /** Why there is no baseline (`baseline: none`, nothing published yet, the registry refused, …). */
  reason?: string
  counts?: { new: number; fixed: number; unchanged: number; inherited: number }
}

/** Moving the final stage's base to a newer tag or digest of the same repository. */
export interface BaseImageAdvice {
  /** The base as written in the Dockerfile. */
  base: string
  /** Inherited (unsuppressed) vulnerability findings, and all vulnerability findings. */
  inherited: number
  total: number
  /** The newer base found in the registry, and how many inherited findings it no longer has. */
  candidate?: string
  fixable?: number
  /** Why no count could be given (no newer tag, the registry could not be read, …). */
  note?: string
}

export interface GateResult {
  passed: boolean
  threshold: Severity
  /** Number of unsuppressed findings at or above their category's threshold. */
  failing: number
  /** Checks that could not run (the gate fails closed on them). */
  errors?: string[]
  /** `new` when only findings new against the baseline gated (policy, secret and provenance always gate). */
  failOn?: 'all' | 'new'
}

export interface ImageInfo {
  ref?: string
  id?: string
  digest?: string
  tags?: string[]
}

/** What the scan could see: the OS and whether advisories cover it, the package databases, what was skipped. */
export interface ReportCoverage {
  os?: { id: string; name?: string; ecosystem?: string; covered: boolean }
  databases: { path: string; format: string; packages: number; read: boolean; error?: string }[]
  skipped: { path: string; reason: string }[]
  /** Ecosystems of the image's packages that the advisory source has nothing for. */
  ecosystemsWithoutAdvisories: { ecosystem: string; packages: number }[]
  /** Packages found, and how many of them were looked up in an advisory source. */
  packages: number
  checked: number
  /** True only when every package was checked and nothing was skipped: the only case a clean result means clean. */
  complete: boolean
}

export interface Report {
  tool: { name: 'secure-image'; version: string }
  image?: ImageInfo
  findings: Finding[]
  /** Present when an image was scanned. */
  coverage?: ReportCoverage
  /** Baseline findings that this image no longer has (when a baseline was found). */
  fixed?: Finding[]
  baseline?: BaselineInfo
  advice?: BaseImageAdvice
  gate: GateResult
}

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 }

export function severityRank(s: Severity): number {
  return RANK[s]
}

/** True when `s` is at or above `threshold`. */
export function atOrAbove(s: Severity, threshold: Severity): boolean {
  return RANK[s] >= RANK[threshold]
}

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s)
}

/** Most severe first; then by file, line and rule id, so every rendering is stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    RANK[b.severity] - RANK[a.severity] ||
    (a.location?.path ?? '').localeCompare(b.location?.path ?? '') ||
    (a.location?.startLine ?? 0) - (b.location?.startLine ?? 0) ||
    a.ruleId.localeCompare(b.ruleId) ||
    (a.package?.name ?? '').localeCompare(b.package?.name ?? '')
  )
}

export type Thresholds = Severity | (Partial<Record<Category, Severity>> & { default?: Severity })

/**
 * The threshold that applies to one category. Coverage gaps gate at `high` unless the `coverage` threshold is
 * named: a general threshold can make the gate stricter for them, never more lenient.
 */
export function thresholdFor(thresholds: Thresholds, category: Category): Severity {
  if (category === 'coverage') {
    if (typeof thresholds !== 'string' && thresholds.coverage) return thresholds.coverage
    const general = typeof thresholds === 'string' ? thresholds : (thresholds.default ?? 'high')
    return RANK[general] < RANK.high ? general : 'high'
  }
  if (typeof thresholds === 'string') return thresholds
  return thresholds[category] ?? thresholds.default ?? 'high'
}

/**
 * The gate: it passes when no unsuppressed finding is at or above its category's threshold and every check
 * ran. A check that could not run is passed in `errors` and fails the gate closed.
 */
export function evaluateGate(findings: Finding[], thresholds: Thresholds, errors: string[] = []): GateResult {
  const failing = findings.filter(
    (f) => !f.suppressed && atOrAbove(f.severity, thresholdFor(thresholds, f.category))
  ).length
  const threshold = typeof thresholds === 'string' ? thresholds : (thresholds.default ?? 'high')
  const result: GateResult = { passed: failing === 0 && errors.length === 0, threshold, failing }
  if (errors.length > 0) result.errors = errors
  return result
}

export type Counts = Record<Category, Record<Severity, number>> & { ignored: number; total: number }

export function countFindings(findings: Finding[]): Counts {
  const counts = { ignored: 0, total: 0 } as Counts
  for (const c of CATEGORIES) counts[c] = { critical: 0, high: 0, medium: 0, low: 0, info: 0 }
  for (const f of findings) {
    if (f.suppressed) {
      counts.ignored++
      continue
    }
    counts[f.category][f.severity]++
    counts.total++
  }
  return counts
}
