/**
 * `secure-image verify`: reads what is attached to an image digest through the registry API (the OCI 1.1
 * referrers API, or the `sha256-<hex>` tag fallback), verifies each Sigstore bundle with @sigstore/verify, and
 * checks that each statement's subject is the digest. A key-signed bundle has no transparency-log entry and is
 * verified with `tlogThreshold: 0`; a keyless one needs its certificate to chain to the trusted root, a
 * timestamp inside the certificate's validity, and an identity the caller trusts.
 *
 * Rules: the image verifies when at least one cosign-style signature statement verifies, and every bundle of
 * our predicate types that is attached verifies too (one that does not is tampering, or a signer that is not
 * trusted). With `requireGatePassed`, a verified gate-result statement must say `passed` for this digest.
 */
import { bundleFromJSON, type Bundle } from '@sigstore/bundle'
import { toSignedEntity, toTrustMaterial, Verifier, type VerificationPolicy } from '@sigstore/verify'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { RFC3161Timestamp, X509Certificate } from '@sigstore/core'
import { parseRef } from '../docker/tags.js'
import {
  headManifestDigest,
  RepositoryReader,
  type Descriptor,
  type RegistryAuth
} from '../docker/registry.js'
import { INTOTO_PAYLOAD_TYPE, PREDICATE, subjectDigests, type Statement } from './statements.js'
import type { TrustedIdentity, TrustedKey } from './trust.js'

export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json'
const OURS: string[] = Object.values(PREDICATE)

export interface VerifyOptions {
  keys: TrustedKey[]
  identities: TrustedIdentity[]
  /** Needed for keyless bundles; loaded lazily by the caller. */
  trustedRoot?: () => Promise<TrustedRoot>
  requireGatePassed?: boolean
  auth?: RegistryAuth
}

export interface VerifiedAttestation {
  predicateType: string
  /** The referrer manifest's digest. */
  referrer: string
  /** `key <hint>` or the certificate identity and issuer. */
  signer: string
  statement: Statement
}

export interface VerifyResult {
  verified: boolean
  /** `registry/repository` */
  repository: string
  digest: string
  /** Why it did not verify (empty when it did). */
  reasons: string[]
  attestations: VerifiedAttestation[]
  /** Bundles of other predicate types that were skipped, and why. */
  skipped: string[]
  via?: 'api' | 'tag'
}

/** Verifies `ref` (`name[:tag][@digest]`). Throws only when the registry cannot be read. */
export async function verifyImage(ref: string, opts: VerifyOptions): Promise<VerifyResult> {
  const p = parseRef(ref)
  const repository = `${p.registry}/${p.repository}`
  const digest = p.digest ?? (await headManifestDigest(ref, opts.auth))
  const reader = new RepositoryReader(p.registry, p.repository, opts.auth)
  const result: VerifyResult = {
    verified: false,
    repository,
    digest,
    reasons: [],
    attestations: [],
    skipped: []
  }
  if (p.digest && !(await reader.manifest(p.digest))) {
    result.reasons.push(`${repository} has no manifest ${p.digest}`)
    return result
  }
  const { descriptors, via } = await reader.referrers(digest)
  result.via = via
  const bundles = descriptors.filter((d) =>
    (d.artifactType ?? '').startsWith('application/vnd.dev.sigstore.bundle')
  )
  let root: TrustedRoot | undefined
  const rootFor = async (): Promise<TrustedRoot> => {
    if (!opts.trustedRoot) throw new Error('no trusted root is configured for keyless signatures')
    root ??= await opts.trustedRoot()
    return root
  }
  for (const d of bundles) {
    const claimed = d.annotations?.['dev.sigstore.bundle.predicateType'] ?? 'an attestation'
    try {
      const a = await verifyReferrer(reader, d, digest, opts, rootFor)
      result.attestations.push(a)
    } catch (e) {
      const why = `${claimed} (${d.digest}): ${(e as Error).message}`
      const type = (e as { predicateType?: string }).predicateType ?? claimed
      if (OURS.includes(type) || OURS.includes(claimed)) result.reasons.push(why)
      else result.skipped.push(why)
    }
  }
  const signatures = result.attestations.filter((a) => a.predicateType === PREDICATE.signature)
  if (signatures.length === 0 && result.reasons.length === 0) {
    result.reasons.push(
      bundles.length === 0
        ? `no Sigstore signature is attached to ${repository}@${digest}`
        : `no ${PREDICATE.signature} signature among the ${bundles.length} bundle(s) attached to ${digest}`
    )
  }
  if (opts.requireGatePassed) {
    const gates = result.attestations.filter((a) => a.predicateType === PREDICATE.gate)
    const passed = gates.some((g) => {
      const pred = g.statement.predicate as { verdict?: string; image?: { digest?: string } }
      return pred?.verdict === 'passed' && pred.image?.digest === digest
    })
    if (gates.length === 0)
      result.reasons.push(`no verified gate-result attestation (${PREDICATE.gate}) is attached`)
    else if (!passed) result.reasons.push('the gate-result attestation does not say "passed" for this digest')
  }
  result.verified = result.reasons.length === 0
  return result
}

class ReferrerError extends Error {
  constructor(
    message: string,
    readonly predicateType?: string
  ) {
    super(message)
  }
}

async function verifyReferrer(
  reader: RepositoryReader,
  d: Descriptor,
  digest: string,
  opts: VerifyOptions,
  rootFor: () => Promise<TrustedRoot>
): Promise<VerifiedAttestation> {
  const m = await reader.manifest(d.digest)
  if (!m) throw new ReferrerError('the referrer manifest is missing from the registry')
  const manifest = JSON.parse(m.bytes.toString('utf8')) as {
    subject?: { digest?: string }
    layers?: { digest: string; mediaType: string }[]
  }
  if (manifest.subject?.digest !== digest) {
    throw new ReferrerError(
      `the referrer's subject is ${manifest.subject?.digest ?? 'missing'}, not ${digest}`
    )
  }
  const layer = manifest.layers?.[0]
  if (!layer) throw new ReferrerError('the referrer has no layer')
  let bundle: Bundle
  try {
    bundle = bundleFromJSON(JSON.parse((await reader.blob(layer.digest)).toString('utf8')))
  } catch (e) {
    throw new ReferrerError(`the bundle cannot be read: ${(e as Error).message}`)
  }
  if (bundle.content.$case !== 'dsseEnvelope') throw new ReferrerError('the bundle holds no DSSE envelope')
  const env = bundle.content.dsseEnvelope
  let s: Statement
  try {
    s = JSON.parse(Buffer.from(env.payload).toString('utf8')) as Statement
  } catch {
    throw new ReferrerError('the DSSE payload is not JSON')
  }
  const type = typeof s.predicateType === 'string' ? s.predicateType : undefined
  if (env.payloadType !== INTOTO_PAYLOAD_TYPE)
    throw new ReferrerError(`the payload type is ${env.payloadType}`, type)
  if (needsRoot(bundle) && opts.identities.length === 0) {
    throw new ReferrerError(
      'it is signed keyless, and no certificate identity and issuer were given to trust',
      type
    )
  }
  const signer = verifyBundle(
    bundle,
    opts,
    await (needsRoot(bundle) ? rootFor() : Promise.resolve(undefined)),
    type
  )
  if (!subjectDigests(s).includes(digest)) {
    throw new ReferrerError(
      `the statement's subject is ${subjectDigests(s).join(', ') || 'empty'}, not ${digest}`,
      type
    )
  }
  return { predicateType: type ?? '', referrer: d.digest, signer, statement: s }
}

function needsRoot(bundle: Bundle): boolean {
  return bundle.verificationMaterial.content.$case !== 'publicKey'
}

const EMPTY_ROOT = TrustedRoot.fromJSON({
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: []
})

/** Verifies one bundle's signature and signer; returns who signed it, or throws saying why not. */
export function verifyBundle(
  bundle: Bundle,
  opts: VerifyOptions,
  root: TrustedRoot | undefined,
  type?: string
): string {
  const entity = toSignedEntity(bundle)
  if (bundle.verificationMaterial.content.$case === 'publicKey') {
    if (opts.keys.length === 0)
      throw new ReferrerError('it is signed with a key, and no trusted public key was given', type)
    const errors: string[] = []
    for (const k of opts.keys) {
      const trust = toTrustMaterial(EMPTY_ROOT, () => ({ publicKey: k.key, validFor: () => true }))
      try {
        new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(entity)
        return `key ${k.hint.slice(0, 16)}`
      } catch (e) {
        errors.push((e as Error).message)
      }
    }
    const n = opts.keys.length
    throw new ReferrerError(
      `its signature does not verify with the trusted key${n > 1 ? `s (${n})` : ''}: it was changed after signing, or signed by another key`,
      type
    )
  }
  if (opts.identities.length === 0) {
    throw new ReferrerError(
      'it is signed keyless, and no certificate identity and issuer were given to trust',
      type
    )
  }
  if (!root) throw new ReferrerError('no trusted root is configured for keyless signatures', type)
  const trust = toTrustMaterial(root)
  const tlogs = bundle.verificationMaterial.tlogEntries.length
  const verifier = new Verifier(trust, {
    tlogThreshold: tlogs > 0 ? 1 : 0,
    ctlogThreshold: 1,
    timestampThreshold: 1
  })
  const errors: string[] = []
  for (const id of opts.identities) {
    const policy: VerificationPolicy = {
      subjectAlternativeName: id.identity,
      extensions: { issuer: id.issuer }
    }
    try {
      const s = verifier.verify(entity, policy)
      return `${s.identity?.subjectAlternativeName ?? '?'} (issuer ${s.identity?.extensions?.issuer ?? '?'})`
    } catch (e) {
      errors.push((e as Error).message)
    }
  }
  const expiry = certificateTimeProblem(bundle)
  throw new ReferrerError(
    `keyless verification failed: ${expiry ? `${expiry}; ` : ''}${[...new Set(errors)].join('; ')}`,
    type
  )
}

/** Says so when the signing certificate was not valid at the bundle's timestamps (expired or not yet valid). */
function certificateTimeProblem(bundle: Bundle): string | undefined {
  const vm = bundle.verificationMaterial
  const der =
    vm.content.$case === 'certificate'
      ? vm.content.certificate.rawBytes
      : vm.content.$case === 'x509CertificateChain'
        ? vm.content.x509CertificateChain.certificates[0]?.rawBytes
        : undefined
  if (!der) return undefined
  let cert: X509Certificate
  try {
    cert = X509Certificate.parse(Buffer.from(der))
  } catch {
    return undefined
  }
  const times: Date[] = vm.tlogEntries.map((e) => new Date(Number(e.integratedTime) * 1000))
  for (const t of vm.timestampVerificationData?.rfc3161Timestamps ?? []) {
    try {
      times.push(RFC3161Timestamp.parse(Buffer.from(t.signedTimestamp)).signingTime)
    } catch {
      // an unreadable timestamp is reported by the verifier itself
    }
  }
  const out = times.find((t) => t < cert.notBefore || t > cert.notAfter)
  if (!out) return undefined
  const when = out > cert.notAfter ? 'expired' : 'not yet valid'
  return `the signing certificate was ${when} when the signature was timestamped (${out.toISOString()}; valid ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()})`
}
