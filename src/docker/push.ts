/**
 * Pushing the very image that was scanned: each tag is checked to still name that image ID, pushed, and its
 * manifest digest read back from the registry and compared with what the engine reported.
 *
 * Engines report the digest in two ways: the graph-driver store sends an `aux.Digest` message; the containerd
 * image store (Docker 29's default) sends only the status line `TAG: digest: sha256:… size: N`
 * (moby/moby#48331). Either is taken. A push that reports neither is a permanent error, not a transient one.
 */
import type { IncomingMessage } from 'node:http'
import { parseRef, validateTagRef } from './tags.js'
import {
  authSecrets,
  RegistryError,
  headManifestDigest,
  isTransientMessage,
  redact,
  sameRegistry,
  withRetry,
  type RegistryAuth,
  type RetryOptions
} from './registry.js'
import { errorText, readMessages, type JsonMessage, type Transport } from './transport.js'
import type { ImageInspect, PushResult } from './engine.js'

const STATUS_DIGEST = /(?:^|\s)digest: (sha256:[0-9a-f]{64})(?:\s|$)/

/** The manifest digest a push message reports, from `aux.Digest` or the status line; undefined otherwise. */
export function pushedDigest(m: JsonMessage): string | undefined {
  const aux = m.aux as { Digest?: unknown } | undefined
  if (aux && typeof aux.Digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(aux.Digest)) return aux.Digest
  if (typeof m.status === 'string') return STATUS_DIGEST.exec(m.status)?.[1]
  return undefined
}

/** Splits `host:5000/org/app:tag` into the repository and the tag. */
export function splitTag(ref: string): { repo: string; tag: string } {
  const colon = ref.lastIndexOf(':')
  if (colon > ref.lastIndexOf('/')) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) }
  return { repo: ref, tag: 'latest' }
}

/** One push of one ref: resolves to the digest the engine reported, or throws a RegistryError. */
async function pushOnce(
  t: Transport,
  ref: string,
  auth: RegistryAuth,
  onLine: (line: string) => void
): Promise<string> {
  const { repo, tag } = splitTag(ref)
  const secrets = authSecrets(auth)
  // The raw error is not kept as a cause: only its redacted message leaves this function.
  const res = await t
    .dial<IncomingMessage>({
      path: `/images/${repo}/push?`,
      method: 'POST',
      options: { _query: { tag } },
      authconfig: { username: auth.username, password: auth.password, serveraddress: auth.registry },
      isStream: true,
      statusCodes: { 200: true, 404: 'no such image', 500: 'server error' }
    })
    .catch((e: Error) => e)
  if (res instanceof Error) {
    const msg = redact(res.message, secrets)
    if (/cannot reach the Docker engine/.test(msg)) throw new Error(msg)
    throw new RegistryError(msg, isTransientMessage(msg))
  }
  let digest: string | undefined
  let error: string | undefined
  await readMessages(
    res,
    (m) => {
      const err = errorText(m)
      if (err !== undefined) {
        error = redact(err, secrets)
        return
      }
      digest = pushedDigest(m) ?? digest
      if (typeof m.status === 'string' && !m.progress && m.status !== 'Pushing') {
        onLine(redact(m.id ? `${m.id}: ${m.status}` : m.status, secrets))
      }
    },
    { ms: t.timeouts.idleMs, what: `the push of ${ref}` }
  ).catch((e: Error) => {
    // A stream cut or stuck mid-push: transient, the push is retried.
    throw new RegistryError(redact(e.message, secrets), true)
  })
  if (error !== undefined) throw new RegistryError(error, isTransientMessage(error))
  if (!digest) {
    throw new RegistryError(
      'the engine finished the push but reported no manifest digest (neither an aux.Digest message nor a "digest:" status line)',
      false
    )
  }
  return digest
}

/** Pushes every ref of the image, in order; each one's digest is read back from its registry and compared. */
export async function pushImage(
  t: Transport,
  image: ImageInspect,
  refs: string[],
  auth: RegistryAuth,
  retry: RetryOptions,
  tag: (imageId: string, ref: string) => Promise<void>,
  inspect: (ref: string) => Promise<ImageInspect | undefined>,
  onLine: (line: string) => void
): Promise<PushResult> {
  if (refs.length === 0) throw new Error('nothing to push: no tags')
  if (!auth.registry) throw new Error('no registry given for the push credentials')
  for (const ref of refs) {
    validateTagRef(ref)
    const p = parseRef(ref)
    if (!sameRegistry(p.registry, auth.registry)) {
      throw new Error(
        `the tag ${ref} is for the registry ${p.registry}, but the credentials are for ${auth.registry}`
      )
    }
  }
  const secrets = authSecrets(auth)
  const say = (l: string): void => onLine(redact(l, secrets))
  const digests: Record<string, string> = {}
  for (const ref of refs) {
    await tag(image.Id, ref)
    const pushed = await withRetry(
      `pushing ${ref}`,
      async () => {
        // The tag must still name the image that was built and scanned.
        const now = await inspect(ref)
        if (now?.Id !== image.Id) {
          throw new Error(
            `the tag ${ref} no longer points at ${image.Id} (now ${now?.Id ?? 'nothing'}); not pushing`
          )
        }
        return pushOnce(t, ref, auth, onLine)
      },
      retry,
      say
    )
    const held = await withRetry(`reading back ${ref}`, () => headManifestDigest(ref, auth), retry, say)
    if (held !== pushed) {
      throw new Error(`the registry holds ${held} for ${ref}, but the push reported ${pushed}`)
    }
    onLine(`pushed ${ref} ${held}`)
    digests[ref] = held
  }
  return { refs: [...refs], digest: digests[refs[0]], digests }
}
