/**
 * Finding the baseline of a run and reading its findings.
 *
 * Which image (`baseline: auto`): for a pull request, the image last published for its base branch, i.e. the
 * first reference a push to that branch produces (src/docker/tags.ts `computeTags`); for any other event, the
 * image that the run's own first reference holds now (what this run would replace). `baseline: <ref>` names it;
 * `baseline: none` turns the comparison off.
 *
 * How its findings are read: from its signed gate-result attestation when one is attached and verifies with the
 * configured trust (src/baseline/attestation.ts), else by pulling the image by digest from the registry and
 * scanning it with the same scan and the same vulnerability source as the built image. Nothing here throws: a baseline that cannot be
 * had is returned as `{ found: false, reason }`, and the run goes on without one.
 */
import { computeTags, parseRef } from '../docker/tags.js'
import type { RegistryAuth } from '../docker/registry.js'
import type { Finding } from '../findings.js'
import { scanImageStream } from '../scan/index.js'
import { matchVulnerabilities } from '../scan/match.js'
import type { OsvSource } from '../scan/osv/index.js'
import type { Severity } from '../findings.js'
import { RegistryClient } from './registry.js'
import { readAttestedBaseline, type AttestationTrust } from './attestation.js'

export interface BaselineEvent {
  eventName: string
  ref: string
  sha: string
  prNumber?: number
  /** The pull request's base branch (`pull_request.base.ref`). */
  baseRef?: string
}

export interface BaselineTarget {
  /** The image reference to compare with, or undefined with the reason why there is none. */
  ref?: string
  reason?: string
}

/** Which image is the baseline, from the `baseline` input, the image name, the tags and the event. */
export function baselineTarget(
  input: string,
  image: string,
  tags: string[],
  event: BaselineEvent
): BaselineTarget {
  if (input === 'none') return { reason: 'the comparison is turned off (`baseline: none`)' }
  if (input !== 'auto') return { ref: input }
  const isPr = event.eventName === 'pull_request' || event.eventName === 'pull_request_target'
  if (!image.trim() && !tags.some((t) => t.includes('/') || t.includes(':'))) {
    return { reason: 'no `image` is set, so there is no published image to compare with' }
  }
  try {
    if (isPr) {
      if (!event.baseRef) return { reason: 'the pull request event names no base branch' }
      const refs = computeTags({
        image,
        tags,
        event: { eventName: 'push', ref: `refs/heads/${event.baseRef}`, sha: '' }
      }).refs
      return refs[0] ? { ref: refs[0] } : { reason: `a push to ${event.baseRef} would produce no tag` }
    }
    const refs = computeTags({ image, tags, event }).refs
    return refs[0] ? { ref: refs[0] } : { reason: 'this run produces no tag to compare with' }
  } catch (err) {
    return { reason: `no baseline reference could be made: ${(err as Error).message}` }
  }
}

export interface LoadOptions {
  auth?: RegistryAuth
  /** The same vulnerability source and options the built image was matched with. */
  source: OsvSource
  ignoreUnfixed: boolean
  unknownSeverity: Severity
  platform?: string
  /** What an attestation must be signed with to be used; without it the baseline is pulled and scanned. */
  trust?: AttestationTrust
  log?: (line: string) => void
}

export interface LoadedBaseline {
  found: boolean
  ref?: string
  digest?: string
  source?: 'scan' | 'attestation'
  findings: Finding[]
  /** True when the findings include the Dockerfile's (lint and policy), which only an attestation carries. */
  hasDockerfileFindings: boolean
  reason?: string
  /** From an attestation: the gate-result (and SBOM) referrer digests, and who signed the gate result. */
  attestations?: { gate: string; sbom?: string; signer: string }
  /** Why the attestations were not used, when the image was pulled and scanned instead. */
  fallback?: string
}

/**
 * The baseline's findings from its verified gate-result attestation (an OCI referrer of the image's digest), or
 * undefined when there is none that can be trusted; `log` says why.
 */
export async function loadBaselineFromAttestations(
  ref: string,
  digest: string,
  auth?: RegistryAuth,
  options: { trust?: AttestationTrust; log?: (line: string) => void } = {}
): Promise<LoadedBaseline | undefined> {
  const out = await readAttestedBaseline(ref, digest, auth, options.trust)
  if (out.reason !== undefined) {
    options.log?.(`baseline attestations not used: ${out.reason}`)
    return undefined
  }
  return out.baseline
}

/** Resolves the baseline's digest, then reads its findings (attestation, else pull by digest and scan). */
export async function loadBaseline(ref: string, options: LoadOptions): Promise<LoadedBaseline> {
  const none = (reason: string): LoadedBaseline => ({
    found: false,
    ref,
    findings: [],
    hasDockerfileFindings: false,
    reason
  })
  let client: RegistryClient
  let reference: string
  try {
    const p = parseRef(ref)
    client = new RegistryClient(p.registry, p.repository, options.auth)
    reference = p.digest ?? p.tag ?? 'latest'
  } catch (err) {
    return none((err as Error).message)
  }
  let digest: string | undefined
  try {
    digest = await client.digestOf(reference)
  } catch (err) {
    return none(`the registry could not be read: ${(err as Error).message}`)
  }
  if (!digest) return none(`nothing has been published as ${ref} yet`)

  const attested = await readAttestedBaseline(ref, digest, options.auth, options.trust)
  if (attested.reason === undefined) {
    const a = attested.baseline.attestations
    options.log?.(
      `baseline read from its gate-result attestation ${a?.gate ?? ''}, signed by ${a?.signer ?? '?'}`
    )
    return attested.baseline
  }
  const fallback = attested.reason
  options.log?.(`baseline attestations not used (${fallback}); pulling and scanning ${ref}@${digest}`)

  try {
    const stream = await client.imageArchive(digest, options.platform || undefined)
    const scan = await scanImageStream(stream, {})
    const vulns = await matchVulnerabilities(scan.inventory.packages, options.source, {
      ignoreUnfixed: options.ignoreUnfixed,
      unknownSeverity: options.unknownSeverity
    })
    return {
      found: true,
      ref,
      digest,
      source: 'scan',
      findings: [...scan.findings, ...vulns],
      hasDockerfileFindings: false,
      fallback
    }
  } catch (err) {
    const out = none(`${ref}@${digest} could not be pulled and scanned: ${(err as Error).message}`)
    out.digest = digest
    out.fallback = fallback
    return out
  }
}
