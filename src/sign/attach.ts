/**
 * Signs each statement into a Sigstore bundle and attaches it to the image as an OCI 1.1 referrer, with
 * @sigstore/oci (the library actions/attest uses): a manifest with `artifactType`
 * `application/vnd.dev.sigstore.bundle.v0.3+json`, the empty config, the bundle as its one layer and the image
 * as its `subject`. When the registry has no referrers API, @sigstore/oci keeps the `sha256-<hex>` tag's
 * referrers index, as the distribution spec's fallback says.
 */
import { bundleToJSON, type Bundle } from '@sigstore/bundle'
import { attachArtifactToImage } from '@sigstore/oci'
import type { BundleBuilder } from '@sigstore/sign'
import { authSecrets, redact, type RegistryAuth } from '../docker/registry.js'
import { INTOTO_PAYLOAD_TYPE, type Statement } from './statements.js'

export interface Attached {
  predicateType: string
  /** The digest of the referrer manifest. */
  digest: string
  /** Repositories it was attached in. */
  repositories: string[]
}

export async function signStatement(builder: BundleBuilder, s: Statement): Promise<Bundle> {
  return builder.create({ data: Buffer.from(JSON.stringify(s)), type: INTOTO_PAYLOAD_TYPE })
}

/** Attaches one bundle to `repository@digest` (the repository with its registry, e.g. `ghcr.io/acme/app`). */
export async function attachBundle(opts: {
  repository: string
  digest: string
  bundle: Bundle
  predicateType: string
  auth?: RegistryAuth
}): Promise<string> {
  const json = bundleToJSON(opts.bundle)
  try {
    const d = await attachArtifactToImage({
      imageName: opts.repository,
      imageDigest: opts.digest,
      artifact: Buffer.from(JSON.stringify(json)),
      mediaType: opts.bundle.mediaType,
      annotations: {
        'dev.sigstore.bundle.content': 'dsse-envelope',
        'dev.sigstore.bundle.predicateType': opts.predicateType
      },
      credentials: { username: opts.auth?.username ?? '', password: opts.auth?.password ?? '' }
    })
    return d.digest
  } catch (e) {
    throw new Error(
      redact(
        `attaching the ${opts.predicateType} attestation to ${opts.repository}@${opts.digest} failed: ${causes(e)}`,
        authSecrets(opts.auth)
      ),
      { cause: e }
    )
  }
}

/** The messages of an error and its causes, joined (OCIError wraps the HTTP error that says what happened). */
export function causes(e: unknown): string {
  const parts: string[] = []
  for (let c: unknown = e; c && parts.length < 5; c = (c as { cause?: unknown }).cause) {
    const m = (c as Error).message ?? String(c)
    if (m && !parts.includes(m)) parts.push(m)
  }
  return parts.join(': ')
}
