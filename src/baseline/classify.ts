/**
 * Classifying findings against a baseline: new, unchanged or inherited, and the baseline's findings this image
 * no longer has (fixed). Findings are compared by a stable key, never by line numbers, which move:
 *
 * - vulnerability: advisory id + package name + ecosystem;
 * - secret and image configuration: rule id + path in the image;
 * - Dockerfile findings (lint, policy, the smoke test): rule id + Dockerfile path, when the baseline carries
 *   them (an attested baseline); a baseline read by scanning an image cannot, so these are classified by the
 *   pull request's diff instead: on a line it changed → new, else unchanged; with no diff known → new.
 *
 * `inherited` is a finding the baseline had too and that sits in the base image's layers (attribution knows).
 */
import type { BaselineState, Finding } from '../findings.js'

/** What a changed-lines view must answer (publish/changes.ts `ChangedLines`). */
export interface DiffView {
  isNew(f: Finding): boolean
}

/** A finding the scan of an image produces (so a scanned baseline can have it too). */
export function isImageFinding(f: Finding): boolean {
  if (f.category === 'vulnerability' || f.category === 'secret') return true
  return f.category === 'config' && /^SI3\d{3}$/.test(f.ruleId)
}

/** The stable comparison key of a finding. */
export function findingKey(f: Finding): string {
  switch (f.category) {
    case 'vulnerability':
      return [
        'vulnerability',
        f.vulnerability?.id ?? f.ruleId,
        f.package?.name ?? '',
        f.package?.ecosystem ?? ''
      ].join('\0')
    case 'secret':
    case 'config':
      return [f.category, f.ruleId, f.imagePath ?? f.package?.path ?? ''].join('\0')
    default:
      return [f.category, f.ruleId, f.location?.path ?? ''].join('\0')
  }
}

export interface ClassifyOptions {
  /** The pull request's changed lines, for the findings the baseline cannot carry. */
  diff?: DiffView
  /** True when the baseline carries Dockerfile findings too (an attested gate result). */
  hasDockerfileFindings?: boolean
}

export interface Classification {
  /** The baseline's findings whose key no current finding has. */
  fixed: Finding[]
  counts: { new: number; fixed: number; unchanged: number; inherited: number }
}

/** Sets `baseline` on every finding (in place) and returns what was fixed. */
export function classifyFindings(
  findings: Finding[],
  baseline: Finding[],
  options: ClassifyOptions = {}
): Classification {
  const before = new Set(baseline.map(findingKey))
  const now = new Set(findings.map(findingKey))
  const counts = { new: 0, fixed: 0, unchanged: 0, inherited: 0 }
  for (const f of findings) {
    let state: BaselineState
    if (isImageFinding(f) || options.hasDockerfileFindings) {
      state = !before.has(findingKey(f)) ? 'new' : f.layer?.inherited ? 'inherited' : 'unchanged'
    } else {
      const diff = options.diff
      state = !diff || diff.isNew(f) ? 'new' : 'unchanged'
    }
    f.baseline = state
    counts[state]++
  }
  const fixedKeys = new Set<string>()
  const fixed: Finding[] = []
  for (const b of baseline) {
    const k = findingKey(b)
    if (now.has(k) || fixedKeys.has(k)) continue
    if (!options.hasDockerfileFindings && !isImageFinding(b)) continue
    fixedKeys.add(k)
    const copy: Finding = { ...b }
    delete copy.baseline
    fixed.push(copy)
  }
  counts.fixed = fixed.length
  return { fixed, counts }
}

/** The counts the report shows: unsuppressed findings by state, and the fixed ones. */
export function countBaseline(findings: Finding[], fixed: Finding[] = []): Classification['counts'] {
  const counts = { new: 0, fixed: fixed.length, unchanged: 0, inherited: 0 }
  for (const f of findings) if (!f.suppressed && f.baseline) counts[f.baseline]++
  return counts
}
