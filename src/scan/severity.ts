/**
 * Severity of an advisory, computed here rather than trusted from a feed: CVSS v3.x or v4.0 vectors in
 * `severity[]` are scored with ae-cvss-calculator and banded as NVD does (critical ≥ 9.0, high ≥ 7.0,
 * medium ≥ 4.0, low > 0). Without a vector, a rating is read from an Ubuntu priority, `database_specific.severity`
 * (GitHub's LOW / MODERATE / HIGH / CRITICAL) or Debian's urgency. Without either, the severity is unknown, and is gated as
 * `unknownSeverity` (medium by default).
 */
import cvss from 'ae-cvss-calculator'
import type { Severity } from '../findings.js'
import type { OsvAffected, OsvRecord, OsvSeverity } from './osv/types.js'

const { Cvss3P0, Cvss3P1, Cvss4P0 } = cvss

export interface SeverityResult {
  severity: Severity
  /** The CVSS base score, when a vector was scored. */
  cvss?: number
  cvssVector?: string
  /** True when no score or rating was found and `unknownSeverity` was used. */
  unknown: boolean
  /** Where it came from: `CVSS_V3`, `CVSS_V4`, `Ubuntu`, `database_specific`, `urgency` (Debian) or `default`. */
  from: string
}

/** NVD's qualitative bands for a CVSS base score. */
export function bandScore(score: number): Severity {
  if (score >= 9) return 'critical'
  if (score >= 7) return 'high'
  if (score >= 4) return 'medium'
  if (score > 0) return 'low'
  return 'info'
}

/** The CVSS base score of a v3.0, v3.1 or v4.0 vector, or undefined when the vector cannot be scored. */
export function scoreVector(vector: string): number | undefined {
  const v = vector.trim()
  if (scoreCache.has(v)) return scoreCache.get(v)
  const score = computeScore(v)
  if (scoreCache.size >= 10000) scoreCache.clear()
  scoreCache.set(v, score)
  return score
}

const scoreCache = new Map<string, number | undefined>()

function computeScore(v: string): number | undefined {
  try {
    let score: number | undefined
    if (v.startsWith('CVSS:3.1/')) score = new Cvss3P1(v).calculateScores().base
    else if (v.startsWith('CVSS:3.0/')) score = new Cvss3P0(v).calculateScores().base
    else if (v.startsWith('CVSS:4.0/')) score = new Cvss4P0(v).calculateScores().overall
    return typeof score === 'number' && Number.isFinite(score) ? score : undefined
  } catch {
    return undefined
  }
}

const RATINGS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'low',
  unimportant: 'low',
  none: 'info'
}

function rating(v: unknown): Severity | undefined {
  return typeof v === 'string' ? RATINGS[v.trim().toLowerCase()] : undefined
}

function scored(list: OsvSeverity[], type: string): { score: number; vector: string } | undefined {
  for (const s of list) {
    if (s.type !== type || typeof s.score !== 'string') continue
    const score = scoreVector(s.score)
    if (score !== undefined) return { score, vector: s.score.trim() }
  }
  return undefined
}

/**
 * The severity of `record` for one of its `affected[]` entries (whose own `severity` takes precedence, as the
 * schema allows it to). CVSS v3.x is preferred to v4.0 when both are given, since the bands were defined on it.
 */
export function severityOf(
  record: OsvRecord,
  affected?: OsvAffected,
  unknownSeverity: Severity = 'medium'
): SeverityResult {
  const lists = [affected?.severity ?? [], record.severity ?? []]
  for (const type of ['CVSS_V3', 'CVSS_V4']) {
    for (const list of lists) {
      const s = scored(list, type)
      if (s)
        return {
          severity: bandScore(s.score),
          cvss: s.score,
          cvssVector: s.vector,
          unknown: false,
          from: type
        }
    }
  }
  for (const list of lists) {
    for (const s of list) {
      if (s.type === 'Ubuntu') {
        const r = rating(s.score)
        if (r) return { severity: r, unknown: false, from: 'Ubuntu' }
      }
    }
  }
  for (const ds of [affected?.ecosystem_specific, affected?.database_specific, record.database_specific]) {
    const r = rating(ds?.severity)
    if (r) return { severity: r, unknown: false, from: 'database_specific' }
  }
  // Debian's urgency (`low`, `medium`, `high`, `unimportant`; `not yet assigned` is no rating).
  const urgency = rating(affected?.ecosystem_specific?.urgency)
  if (urgency) return { severity: urgency, unknown: false, from: 'urgency' }
  return { severity: unknownSeverity, unknown: true, from: 'default' }
}
