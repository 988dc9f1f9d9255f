/**
 * The baseline stage, between the scan and the gate: find the baseline, classify every finding against it
 * (new, unchanged, inherited) and list what it fixed, then give base-image advice when inherited
 * vulnerabilities dominate. A baseline that cannot be had never fails the run: the report says why.
 */
import type { BaseImageAdvice, BaselineInfo, Finding, Severity } from '../findings.js'
import type { RegistryAuth } from '../docker/registry.js'
import type { OsvSource } from '../scan/osv/index.js'
import { baseImageAdvice } from './advice.js'
import { classifyFindings, type DiffView } from './classify.js'
import { baselineTarget, loadBaseline, type BaselineEvent } from './load.js'
import type { AttestationTrust } from './attestation.js'

export { gateView, ALWAYS_GATES } from './gate.js'
export { classifyFindings, countBaseline, findingKey, isImageFinding, type DiffView } from './classify.js'
export { baselineTarget, loadBaseline, loadBaselineFromAttestations } from './load.js'
export { readAttestedBaseline, type AttestationTrust } from './attestation.js'
export { baseImageAdvice, newerTag, inheritedDominate } from './advice.js'

export interface BaselineStageInput {
  /** The `baseline` input: `auto`, `none` or an image reference. */
  baseline: string
  image: string
  tags: string[]
  event: BaselineEvent
  /** Every finding of the run so far; each gets `baseline` set when a baseline is found. */
  findings: Finding[]
  /** False when the image could not be scanned: comparing would call the whole baseline fixed. */
  scanned: boolean
  diff?: DiffView
  auth?: RegistryAuth
  source: OsvSource
  ignoreUnfixed: boolean
  unknownSeverity: Severity
  platform?: string
  /** Keys and identities a baseline's attestations must be signed by to be read instead of pulling it. */
  trust?: AttestationTrust
  /** The final stage's base as written, and the repo digests the engine knows for it (for the advice). */
  base?: { ref: string; repoDigests: string[] }
  log?: (line: string) => void
}

export interface BaselineStageResult {
  info: BaselineInfo
  fixed?: Finding[]
  advice?: BaseImageAdvice
}

export async function runBaselineStage(input: BaselineStageInput): Promise<BaselineStageResult> {
  const log = input.log ?? (() => undefined)
  const load = {
    ...(input.auth ? { auth: input.auth } : {}),
    source: input.source,
    ignoreUnfixed: input.ignoreUnfixed,
    unknownSeverity: input.unknownSeverity,
    ...(input.platform ? { platform: input.platform } : {})
  }
  const out: BaselineStageResult = { info: { found: false } }
  const target = baselineTarget(input.baseline, input.image, input.tags, input.event)
  if (!input.scanned) {
    out.info.reason = 'the image could not be scanned, so it was not compared with a baseline'
  } else if (!target.ref) {
    out.info.reason = target.reason ?? 'no baseline'
  } else {
    log(`baseline: ${target.ref}`)
    const loaded = await loadBaseline(target.ref, {
      ...load,
      ...(input.trust ? { trust: input.trust } : {}),
      log
    })
    out.info.ref = target.ref
    if (loaded.digest) out.info.digest = loaded.digest
    if (!loaded.found) {
      out.info.reason = loaded.reason ?? 'the baseline could not be read'
    } else {
      const c = classifyFindings(input.findings, loaded.findings, {
        ...(input.diff ? { diff: input.diff } : {}),
        hasDockerfileFindings: loaded.hasDockerfileFindings
      })
      out.info = { ...out.info, found: true, source: loaded.source ?? 'scan', counts: c.counts }
      out.fixed = c.fixed
      log(
        `compared with ${target.ref}@${loaded.digest}: ${c.counts.new} new, ${c.counts.fixed} fixed, ` +
          `${c.counts.unchanged} unchanged, ${c.counts.inherited} inherited`
      )
    }
  }
  if (!out.info.found) log(`no baseline: ${out.info.reason}`)
  if (input.scanned && input.base) {
    const advice = await baseImageAdvice({
      findings: input.findings,
      base: input.base.ref,
      baseRepoDigests: input.base.repoDigests,
      load
    })
    if (advice) {
      out.advice = advice
      log(
        advice.candidate && advice.fixable !== undefined
          ? `${advice.fixable} of ${advice.inherited} inherited vulnerabilities are gone in ${advice.candidate}`
          : `base-image advice: ${advice.note ?? ''}`
      )
    }
  }
  return out
}
