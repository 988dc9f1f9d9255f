/**
 * `secure-image verify IMAGE[@digest]` and the action's `mode: verify`: one function that checks trust inputs,
 * verifies, and renders the outcome as text lines or JSON. Bad input throws (exit 2); a registry that cannot be
 * read, or anything that does not verify, is "not verified" with the reason (exit 1).
 */
import { sameRegistry, type RegistryAuth } from '../docker/registry.js'
import { parseRef } from '../docker/tags.js'
import { verifyImage, type VerifyResult } from './verify.js'
import { checkIdentity, loadPublicKeys, loadTrustedRoot, type TrustedIdentity } from './trust.js'

export interface VerifyRequest {
  image: string
  keys: string[]
  identities: TrustedIdentity[]
  requireGatePassed: boolean
  auth?: RegistryAuth
  trustedRoot?: string
  cwd?: string
}

export class VerifyInputError extends Error {}

export async function runVerify(req: VerifyRequest): Promise<VerifyResult & { error?: string }> {
  if (!req.image) throw new VerifyInputError('name the image to verify (IMAGE[:tag] or IMAGE@sha256:…)')
  try {
    parseRef(req.image)
  } catch (e) {
    throw new VerifyInputError((e as Error).message)
  }
  if (req.keys.length === 0 && req.identities.length === 0) {
    throw new VerifyInputError(
      'give a public key (--key) or a certificate identity (--certificate-identity-regexp with --certificate-oidc-issuer) to verify against'
    )
  }
  let keys
  try {
    keys = loadPublicKeys(req.keys, req.cwd, 'key')
    req.identities.forEach((id, i) => checkIdentity(id, `identity ${i + 1}`))
  } catch (e) {
    throw new VerifyInputError((e as Error).message)
  }
  const registry = parseRef(req.image).registry
  const auth =
    req.auth && (req.auth.username || req.auth.password) && sameRegistry(registry, req.auth.registry)
      ? req.auth
      : undefined
  try {
    return await verifyImage(req.image, {
      keys,
      identities: req.identities,
      trustedRoot: () => loadTrustedRoot(req.trustedRoot),
      requireGatePassed: req.requireGatePassed,
      ...(auth ? { auth } : {})
    })
  } catch (e) {
    const p = parseRef(req.image)
    const message = (e as Error).message
    return {
      verified: false,
      repository: `${p.registry}/${p.repository}`,
      digest: p.digest ?? '',
      reasons: [message],
      attestations: [],
      skipped: [],
      error: message
    }
  }
}

export function renderVerify(r: VerifyResult): string[] {
  const lines: string[] = []
  lines.push(`${r.verified ? 'Verified' : 'NOT verified'}: ${r.repository}@${r.digest || '(digest unknown)'}`)
  for (const a of r.attestations) lines.push(`  ✓ ${a.predicateType}  ${a.referrer}  signed by ${a.signer}`)
  for (const why of r.reasons) lines.push(`  ✗ ${why}`)
  for (const s of r.skipped) lines.push(`  - skipped ${s}`)
  return lines
}

export function verifyJson(r: VerifyResult): unknown {
  return {
    verified: r.verified,
    image: { repository: r.repository, digest: r.digest },
    reasons: r.reasons,
    attestations: r.attestations.map((a) => ({
      predicateType: a.predicateType,
      referrer: a.referrer,
      signer: a.signer
    })),
    skipped: r.skipped
  }
}
