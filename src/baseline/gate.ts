/**
 * `fail-on`: which findings the gate looks at. `all` (the default): every finding. `new`: the findings the
 * baseline does not have, plus the ones that always gate whatever `fail-on` says: policy (approved registries,
 * digests, provenance) and secrets. Without a baseline nothing can be shown to be old, so everything gates.
 */
import type { Category, Finding } from '../findings.js'
import type { FailOn } from '../inputs.js'

/** Categories that gate whatever `fail-on` says (provenance findings are in `policy`). */
export const ALWAYS_GATES: readonly Category[] = ['policy', 'secret']

/** The findings the gate evaluates. */
export function gateView(findings: Finding[], failOn: FailOn, baselineFound: boolean): Finding[] {
  if (failOn === 'all' || !baselineFound) return findings
  return findings.filter(
    (f) => ALWAYS_GATES.includes(f.category) || f.baseline === undefined || f.baseline === 'new'
  )
}
