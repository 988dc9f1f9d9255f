/**
 * A baseline's findings from its signed gate-result attestation, without pulling the image.
 *
 * The image digest's referrers are read and verified exactly as `secure-image verify` verifies them
 * (src/sign/verify.ts): a cosign-style signature must verify, every attached bundle of our predicate types (the
 * SBOM and the gate result included) must verify with a trusted key or identity, and each statement's subject must
 * be the digest. Then the newest gate-result statement whose `image.digest` is the digest gives the findings.
 *
 * Trust: the `trusted-keys` and `trusted-identities` inputs, and the public half of `signing-key` (the key that
 * signs what this pipeline publishes). With none of them configured an attestation cannot be told from a forgery,
 * so it is not used: a forged attestation must never be able to hide a finding. Whenever anything is missing or
 * does not verify, the answer is the reason, and the caller pulls and scans the image instead.
 */
import { createPublicKey } from 'node:crypto'
import { CATEGORIES, SEVERITIES, type Category, type Finding, type Severity } from '../findings.js'
import { sameRegistry, type RegistryAuth } from '../docker/registry.js'
import { parseRef } from '../docker/tags.js'
import { parseSigningKey } from '../sign/signer.js'
import { PREDICATE, type GateResultV1 } from '../sign/statements.js'
import {
  keyHint,
  loadPublicKeys,
  loadTrustedRoot,
  type TrustedIdentity,
  type TrustedKey
} from '../sign/trust.js'
import { verifyImage, type VerifiedAttestation } from '../sign/verify.js'
import type { LoadedBaseline } from './load.js'

export interface AttestationTrust {
  /** `trusted-keys` entries: PEM text or paths of PEM files. */
  keys: string[]
  identities: TrustedIdentity[]
  /** The `signing-key` input (PEM private key): its public half is trusted. Never logged. */
  signingKey?: string
  /** Where relative key paths are read from. */
  cwd?: string
  /** A `trusted_root.json` for keyless bundles (else SECURE_IMAGE_TRUSTED_ROOT, else Sigstore's via TUF). */
  trustedRoot?: string
}

export type AttestedBaseline = { baseline: LoadedBaseline; reason?: undefined } | { reason: string }

/** Reads and verifies the attestations of `ref`'s repository at `digest`; never throws. */
export async function readAttestedBaseline(
  ref: string,
  digest: string,
  auth: RegistryAuth | undefined,
  trust: AttestationTrust | undefined
): Promise<AttestedBaseline> {
  let keys: TrustedKey[]
  try {
    keys = trustedKeys(trust)
  } catch (e) {
    return { reason: (e as Error).message }
  }
  const identities = trust?.identities ?? []
  if (keys.length === 0 && identities.length === 0) {
    return {
      reason:
        'no trusted key or identity is configured (trusted-keys, trusted-identities or signing-key), so its attestations cannot be verified'
    }
  }
  let verified: VerifiedAttestation[]
  try {
    const p = parseRef(ref)
    // Credentials go only to the registry they are for.
    const own = auth && sameRegistry(p.registry, auth.registry) ? auth : undefined
    const result = await verifyImage(`${p.registry}/${p.repository}@${digest}`, {
      keys,
      identities,
      trustedRoot: () => loadTrustedRoot(trust?.trustedRoot),
      ...(own ? { auth: own } : {})
    })
    if (!result.verified) return { reason: `its attestations do not verify: ${result.reasons.join('; ')}` }
    verified = result.attestations
  } catch (e) {
    return { reason: `its attestations could not be read: ${(e as Error).message}` }
  }
  const gates = verified
    .filter((a) => a.predicateType === PREDICATE.gate)
    .map((a) => ({ a, p: a.statement.predicate as Partial<GateResultV1> | undefined }))
    .filter(({ p }) => p?.image?.digest === digest)
    .sort((x, y) => String(y.p?.evaluatedAt ?? '').localeCompare(String(x.p?.evaluatedAt ?? '')))
  const gate = gates[0]
  if (!gate) {
    return {
      reason: verified.some((a) => a.predicateType === PREDICATE.gate)
        ? `its gate-result attestation is about another image (image.digest is not ${digest})`
        : `no gate-result attestation (${PREDICATE.gate}) is attached`
    }
  }
  let findings: Finding[]
  try {
    findings = findingsOf(gate.p?.findings)
  } catch (e) {
    return { reason: `its gate-result attestation cannot be used: ${(e as Error).message}` }
  }
  const sbom = verified.find((a) => a.predicateType === PREDICATE.sbom)
  return {
    baseline: {
      found: true,
      ref,
      digest,
      source: 'attestation',
      findings,
      // The gate result carries the Dockerfile's lint and policy findings too.
      hasDockerfileFindings: true,
      attestations: {
        gate: gate.a.referrer,
        signer: gate.a.signer,
        ...(sbom ? { sbom: sbom.referrer } : {})
      }
    }
  }
}

function trustedKeys(trust: AttestationTrust | undefined): TrustedKey[] {
  if (!trust) return []
  const keys = loadPublicKeys(trust.keys, trust.cwd)
  if (trust.signingKey?.trim()) {
    const key = createPublicKey(parseSigningKey(trust.signingKey))
    keys.push({ key, hint: keyHint(key), source: 'signing-key' })
  }
  return keys
}

type Entry = GateResultV1['findings'][number]

/**
 * The gate result's findings as `Finding`s, with every field the comparison key uses (src/baseline/classify.ts).
 * Ignored findings are kept, unignored: they are in the image, as a scanned baseline would have them. A gate
 * result written before `message` and `imagePath` were added cannot give the key of a secret or config
 * finding, so one whose findings lack `message` is not used.
 */
export function findingsOf(entries: unknown): Finding[] {
  if (!Array.isArray(entries)) throw new Error('it has no findings list')
  return (entries as Entry[]).map((e, i) => {
    const where = `findings[${i}]`
    if (!e || typeof e !== 'object') throw new Error(`${where} is not an object`)
    if (!CATEGORIES.includes(e.category as Category))
      throw new Error(`${where} has the unknown category "${String(e.category)}"`)
    if (typeof e.ruleId !== 'string' || !e.ruleId) throw new Error(`${where} has no ruleId`)
    if (!SEVERITIES.includes(e.severity as Severity))
      throw new Error(`${where} has the unknown severity "${String(e.severity)}"`)
    if (typeof e.message !== 'string')
      throw new Error(`${where} has no message: it was written by a version without comparison keys`)
    const f: Finding = {
      category: e.category as Category,
      ruleId: e.ruleId,
      severity: e.severity as Severity,
      message: e.message
    }
    if (e.location && typeof e.location.path === 'string') f.location = { ...e.location }
    if (e.package && typeof e.package.name === 'string') {
      f.package = {
        name: e.package.name,
        version: String(e.package.version ?? ''),
        ecosystem: String(e.package.ecosystem ?? '')
      }
      if (typeof e.package.path === 'string') f.package.path = e.package.path
    }
    if (typeof e.imagePath === 'string') f.imagePath = e.imagePath
    if (f.category === 'vulnerability') f.vulnerability = { id: e.ruleId, aliases: [] }
    return f
  })
}
