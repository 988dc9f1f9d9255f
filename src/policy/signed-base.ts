/**
 * Verified base images (`require-signed-base`): before the build, every external image source of the
 * Dockerfile (FROM, COPY --from, RUN --mount from=) is resolved to its manifest digest through the registry
 * API, and its Sigstore signature is verified there with the trusted keys and identities. An image that is not
 * signed by a trusted signer, or that cannot be checked, is a critical policy finding on its line, so the
 * build does not run.
 *
 * The digest that was verified is the digest that is built: `pinnedBaseFindings` checks, before the build, that
 * the final stage's base in the engine is that digest (its RepoDigests), and the provenance check then proves
 * the built image's layers sit on that base's layers. Sources pinned by digest in the Dockerfile are built from
 * exactly that digest by the engine.
 */
import type { Finding } from '../findings.js'
import type { DockerfileModel } from '../dockerfile/parse.js'
import type { RegistryAuth } from '../docker/registry.js'
import { sameRegistry } from '../docker/registry.js'
import { verifyImage } from '../sign/verify.js'
import { loadPublicKeys, loadTrustedRoot, type TrustedIdentity } from '../sign/trust.js'
import { InvalidReferenceError, canonicalRepository, parseReference } from './reference.js'
import { imageSources } from './sources.js'

export const SIGNED_BASE_RULE = {
  id: 'SI2006',
  severity: 'critical',
  help:
    'Use a base image signed by a signer listed in `trusted-keys` or `trusted-identities` (verify it with ' +
    '`secure-image verify IMAGE --key …`), or add its signer to the trusted ones.'
} as const

export interface SignedBaseOptions {
  trustedKeys: string[]
  trustedIdentities: TrustedIdentity[]
  buildArgs?: ReadonlyMap<string, string>
  /** Credentials for the registry they belong to (the `registry` input's). */
  auth?: RegistryAuth
  cwd?: string
  log?: (line: string) => void
}

export interface SignedBaseResult {
  findings: Finding[]
  /** Image as written (expanded) → the digest whose signature verified. */
  verified: Map<string, string>
}

export async function checkSignedBases(
  model: DockerfileModel,
  opts: SignedBaseOptions
): Promise<SignedBaseResult> {
  if (opts.trustedKeys.length === 0 && opts.trustedIdentities.length === 0) {
    throw new Error(
      'require-signed-base is on, but neither trusted-keys nor trusted-identities names a signer to trust'
    )
  }
  const keys = loadPublicKeys(opts.trustedKeys, opts.cwd)
  const findings: Finding[] = []
  const verified = new Map<string, string>()
  const cache = new Map<string, { digest?: string; why?: string }>()
  for (const src of imageSources(model, opts.buildArgs)) {
    if (src.unresolved.length > 0) continue // the approved-registry check reports it (critical) already
    let name: string
    let ref: string
    try {
      const r = parseReference(src.expanded)
      name = canonicalRepository(r)
      ref = `${name}${r.digest ? `@${r.digest}` : `:${r.tag ?? 'latest'}`}`
    } catch (e) {
      if (e instanceof InvalidReferenceError) continue // reported by the approved-registry check
      throw e
    }
    let outcome = cache.get(ref)
    if (!outcome) {
      const registry = name.split('/')[0]
      try {
        const v = await verifyImage(ref, {
          keys,
          identities: opts.trustedIdentities,
          trustedRoot: () => loadTrustedRoot(),
          ...(opts.auth && sameRegistry(registry, opts.auth.registry) ? { auth: opts.auth } : {})
        })
        outcome = v.verified ? { digest: v.digest } : { why: `${v.digest}: ${v.reasons.join('; ')}` }
        if (v.verified)
          opts.log?.(`${ref} (${v.digest}) is signed by ${v.attestations[0]?.signer ?? 'a trusted signer'}`)
      } catch (e) {
        outcome = { why: `its signature cannot be checked: ${(e as Error).message}` }
      }
      cache.set(ref, outcome)
    }
    if (outcome.digest) {
      verified.set(src.expanded, outcome.digest)
      continue
    }
    findings.push({
      category: 'policy',
      ruleId: SIGNED_BASE_RULE.id,
      severity: SIGNED_BASE_RULE.severity,
      message: `Image ${ref} is not signed by a trusted signer (require-signed-base is on): ${outcome.why}`,
      help: SIGNED_BASE_RULE.help,
      location: { path: model.path, startLine: src.line, endLine: src.line }
    })
  }
  return { findings, verified }
}

/**
 * The base in the engine must be the digest that was verified. `repoDigests` are the engine's record of the
 * manifests the local image was pulled from or pushed as.
 */
export function pinnedBaseFindings(
  base: { ref: string; line: number },
  verifiedDigest: string | undefined,
  repoDigests: string[] | undefined,
  path: string
): Finding[] {
  if (!verifiedDigest) return []
  if ((repoDigests ?? []).some((d) => d.endsWith(`@${verifiedDigest}`))) return []
  return [
    {
      category: 'policy',
      ruleId: SIGNED_BASE_RULE.id,
      severity: SIGNED_BASE_RULE.severity,
      message: `The base image ${base.ref} in the engine is not the verified digest ${verifiedDigest} (it has ${repoDigests?.length ? repoDigests.join(', ') : 'no registry digest'}), so the build would not use what was verified.`,
      help: 'Pin the base by digest (`image@sha256:…`), or pull it from its registry so the engine holds the verified manifest.',
      location: { path, startLine: base.line, endLine: base.line }
    }
  ]
}
