/**
 * The sign-and-attest stage, run only after the gate passed and the pushed digest was read back: it decides
 * how to sign (`sign: auto | true | false`, a `signing-key`, or keyless with the run's OIDC token), signs the
 * four statements and attaches them to the digest in every repository the image was pushed to.
 */
import { parseRef } from '../docker/tags.js'
import { sameRegistry, type RegistryAuth } from '../docker/registry.js'
import type { BundleBuilder, IdentityProvider } from '@sigstore/sign'
import type { Report, Thresholds } from '../findings.js'
import type { IgnoreEntry } from '../scan/ignores.js'
import { attachBundle, signStatement } from './attach.js'
import { keyBundleBuilder, keylessBundleBuilder, keylessEndpoints } from './signer.js'
import { PREDICATE, gateResultPredicate, slsaProvenance, statement, type GateResultV1 } from './statements.js'

export type SignMode = 'auto' | 'true' | 'false'

export interface SigningPlan {
  how: 'key' | 'keyless' | 'none'
  /** Why nothing is signed (a notice), or why signing cannot happen when it was required (an error). */
  why?: string
  error?: boolean
}

/** Whether an OIDC token can be had: in Actions with `id-token: write`, or SIGSTORE_ID_TOKEN. */
export function idTokenAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(
    (env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) || env.SIGSTORE_ID_TOKEN
  )
}

export function signingPlan(sign: SignMode, key: string, env: NodeJS.ProcessEnv = process.env): SigningPlan {
  if (sign === 'false') return { how: 'none', why: 'sign is false' }
  if (key) return { how: 'key' }
  if (idTokenAvailable(env)) return { how: 'keyless' }
  const why =
    'no OIDC token is available for keyless signing (grant the job `permissions: id-token: write`) and no signing-key was given'
  return sign === 'true'
    ? { how: 'none', why: `sign is true, but ${why}`, error: true }
    : { how: 'none', why }
}

export interface SignRequest {
  plan: SigningPlan
  signingKey: string
  identityProvider?: IdentityProvider
  /** Every ref that was pushed (`registry/repo:tag`). */
  refs: string[]
  digest: string
  auth: RegistryAuth
  report: Report
  sbom?: string
  thresholds: Thresholds
  ignores: IgnoreEntry[]
  osv: GateResultV1['osv']
  env?: NodeJS.ProcessEnv
  log?: (line: string) => void
}

export interface SigningResult {
  how: 'key' | 'keyless'
  /** Digest of the signature's referrer manifest. */
  signature: string
  /** Every attestation attached: predicate type and referrer digest. */
  attestations: { predicateType: string; digest: string }[]
  repositories: string[]
}

/** Signs and attaches; throws with a message naming what failed. */
export async function signAndAttest(req: SignRequest): Promise<SigningResult> {
  if (req.plan.how === 'none') throw new Error(req.plan.why ?? 'nothing to sign with')
  const env = req.env ?? process.env
  let builder: BundleBuilder
  if (req.plan.how === 'key') {
    builder = keyBundleBuilder(req.signingKey).builder
  } else {
    if (!req.identityProvider) throw new Error('keyless signing needs an OIDC token provider')
    builder = keylessBundleBuilder({ identityProvider: req.identityProvider, ...keylessEndpoints(env) })
  }
  const repositories = [
    ...new Set(
      req.refs.map((r) => {
        const p = parseRef(r)
        return `${p.registry}/${p.repository}`
      })
    )
  ]
  if (repositories.length === 0) throw new Error('nothing was pushed, so there is nothing to sign')
  const name = repositories[0]
  const subject = { name, digest: req.digest }
  const statements = [
    statement(subject, PREDICATE.signature, {}),
    ...(req.sbom ? [statement(subject, PREDICATE.sbom, JSON.parse(req.sbom) as unknown)] : []),
    statement(
      subject,
      PREDICATE.gate,
      gateResultPredicate(req.report, {
        digest: req.digest,
        thresholds: req.thresholds,
        ignores: req.ignores,
        osv: req.osv
      })
    ),
    statement(subject, PREDICATE.provenance, slsaProvenance(env))
  ]
  const out: SigningResult = { how: req.plan.how, signature: '', attestations: [], repositories }
  for (const s of statements) {
    const bundle = await signStatement(builder, s).catch((e: Error) => {
      throw new Error(`signing the ${s.predicateType} statement failed: ${e.message}`, { cause: e })
    })
    let digest = ''
    for (const repository of repositories) {
      const registry = repository.split('/')[0]
      const auth = sameRegistry(registry, req.auth.registry) ? req.auth : undefined
      digest = await attachBundle({
        repository,
        digest: req.digest,
        bundle,
        predicateType: s.predicateType,
        ...(auth ? { auth } : {})
      })
    }
    req.log?.(`attached ${s.predicateType} as ${digest}`)
    out.attestations.push({ predicateType: s.predicateType, digest })
    if (s.predicateType === PREDICATE.signature) out.signature = digest
  }
  return out
}
