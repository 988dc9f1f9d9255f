/**
 * Reading an image straight from a registry (the Distribution API v2): the manifest digest a tag points at, the
 * tags of a repository, and the image itself by digest, streamed as an OCI image layout tar that the scanner
 * reads exactly as it reads `docker save`. Hand-written on `fetch` because the engine's pull cannot be given
 * credentials per call, and no small, kept-up npm library does pull-by-digest with Basic and Bearer auth; what
 * it needs is four GET/HEAD requests. Every blob is checked against its digest while it streams. Credentials
 * are only held in memory and never reach a message (see `redact`).
 */
import { createHash } from 'node:crypto'
import { Readable, Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import * as tar from 'tar-stream'
import { parseRef } from '../docker/tags.js'
import {
  authSecrets,
  challengeAuthorization,
  redact,
  registryBaseUrl,
  sameRegistry,
  type RegistryAuth
} from '../docker/registry.js'

export const INDEX_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json'
]
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json'
]
const ACCEPT = [...INDEX_TYPES, ...MANIFEST_TYPES].join(', ')
const MAX_MANIFEST = 4 * 1024 * 1024

export interface Descriptor {
  mediaType?: string
  digest: string
  size: number
  platform?: { os?: string; architecture?: string; variant?: string }
  annotations?: Record<string, string>
}

interface Manifest {
  mediaType?: string
  config?: Descriptor
  layers?: Descriptor[]
  manifests?: Descriptor[]
}

/** A client for one repository. Only sends credentials to the registry they were given for. */
export class RegistryClient {
  private readonly base: string
  private readonly repository: string
  private readonly secrets: string[]
  private authorization?: string

  constructor(
    readonly registry: string,
    repository: string,
    private readonly auth?: RegistryAuth
  ) {
    this.base = registryBaseUrl(registry)
    this.repository = repository
    this.secrets = authSecrets(auth)
    if (auth && !sameRegistry(auth.registry, registry)) this.auth = undefined
  }

  /** A client for the repository of `ref`, with `auth` when it is for the same registry. */
  static forRef(ref: string, auth?: RegistryAuth): RegistryClient {
    const p = parseRef(ref)
    return new RegistryClient(p.registry, p.repository, auth)
  }

  /** The manifest digest `reference` (tag or digest) points at; undefined when the registry has no such tag. */
  async digestOf(reference: string): Promise<string | undefined> {
    const res = await this.get(`manifests/${reference}`, { method: 'HEAD', headers: { Accept: ACCEPT } })
    if (res.status === 404) return undefined
    if (!res.ok) throw await this.error(`reading ${this.name(reference)}`, res)
    const digest = res.headers.get('docker-content-digest')
    if (digest && /^sha256:[0-9a-f]{64}$/.test(digest)) return digest
    // Some registries leave the header out of HEAD: hash the manifest itself.
    return (await this.manifest(reference)).digest
  }

  /** The repository's tags (GET /v2/<repo>/tags/list, every page). */
  async tags(): Promise<string[]> {
    const out: string[] = []
    let path: string | undefined = 'tags/list?n=1000'
    for (let page = 0; path && page < 50; page++) {
      const res = await this.get(path, {})
      if (res.status === 404) return out
      if (!res.ok) throw await this.error(`listing the tags of ${this.name()}`, res)
      const body = (await res.json()) as { tags?: string[] | null }
      out.push(...(body.tags ?? []))
      const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1]
      path = next ? next.replace(/^.*\/v2\/[^?]*\/tags\/list/, 'tags/list') : undefined
    }
    return out
  }

  /** The manifest (or index) at `reference`, checked against its digest when the reference is one. */
  async manifest(reference: string): Promise<{ digest: string; mediaType: string; body: Buffer }> {
    const res = await this.get(`manifests/${reference}`, { headers: { Accept: ACCEPT } })
    if (!res.ok) throw await this.error(`reading the manifest of ${this.name(reference)}`, res)
    const body = Buffer.from(await res.arrayBuffer())
    if (body.length > MAX_MANIFEST) throw new Error(`the manifest of ${this.name(reference)} is too large`)
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new Error(`the registry sent a manifest for ${this.name(reference)} whose digest is ${digest}`)
    }
    const mediaType =
      res.headers.get('content-type')?.split(';')[0].trim() ||
      (JSON.parse(body.toString('utf8')) as Manifest).mediaType ||
      ''
    return { digest, mediaType, body }
  }

  /**
   * The image at `digest` as an OCI image layout tar (`oci-layout`, `index.json`, `blobs/sha256/…`). A
   * multi-platform index is narrowed to `platform` (default: this machine's, else the first image). Blobs stream one
   * after another, each checked against its digest.
   */
  async imageArchive(digest: string, platform = hostPlatform()): Promise<NodeJS.ReadableStream> {
    let top = await this.manifest(digest)
    let manifest = JSON.parse(top.body.toString('utf8')) as Manifest
    const blobs: { digest: string; body?: Buffer; size: number }[] = []
    if (manifest.manifests) {
      const [os, arch, variant] = platform.split('/')
      const images = manifest.manifests.filter(
        (d) => d.platform?.os !== 'unknown' && !d.annotations?.['vnd.docker.reference.type']
      )
      const pick =
        images.find(
          (d) =>
            d.platform?.os === os &&
            d.platform?.architecture === arch &&
            (!variant || d.platform?.variant === variant)
        ) ?? images[0]
      if (!pick) throw new Error(`the index ${this.name(digest)} names no image`)
      top = await this.manifest(pick.digest)
      manifest = JSON.parse(top.body.toString('utf8')) as Manifest
    }
    if (!manifest.config || !Array.isArray(manifest.layers)) {
      throw new Error(`${this.name(digest)} is not an image manifest (no config or layers)`)
    }
    blobs.push({ digest: top.digest, body: top.body, size: top.body.length })
    blobs.push({ digest: manifest.config.digest, size: manifest.config.size })
    for (const l of manifest.layers) blobs.push({ digest: l.digest, size: l.size })
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: top.mediaType, digest: top.digest, size: top.body.length }]
    }

    const pack = tar.pack()
    const write = async (): Promise<void> => {
      const small = (name: string, body: string | Buffer): Promise<void> =>
        new Promise((resolve, reject) => pack.entry({ name }, body, (err) => (err ? reject(err) : resolve())))
      await small('oci-layout', JSON.stringify({ imageLayoutVersion: '1.0.0' }))
      await small('index.json', JSON.stringify(index))
      const seen = new Set<string>()
      for (const b of blobs) {
        if (seen.has(b.digest)) continue
        seen.add(b.digest)
        const name = `blobs/${b.digest.replace(':', '/')}`
        if (b.body) {
          await small(name, b.body)
          continue
        }
        const res = await this.get(`blobs/${b.digest}`, {})
        if (!res.ok || !res.body) throw await this.error(`reading the blob ${b.digest}`, res)
        const entry = pack.entry({ name, size: b.size })
        await pipeline(Readable.fromWeb(res.body as never), verify(b.digest, b.size), entry)
      }
      pack.finalize()
    }
    write().catch((err: Error) => pack.destroy(err))
    return pack as unknown as NodeJS.ReadableStream
  }

  private name(reference?: string): string {
    const sep = reference?.startsWith('sha256:') ? '@' : ':'
    return `${this.registry}/${this.repository}${reference ? `${sep}${reference}` : ''}`
  }

  /** One request to `/v2/<repo>/<path>`, answering a 401 challenge (Basic, or a Bearer token) once. */
  private async get(path: string, init: RequestInit): Promise<Response> {
    const url = `${this.base}/v2/${this.repository}/${path}`
    const headers = { ...(init.headers as Record<string, string> | undefined) }
    if (this.authorization) headers.Authorization = this.authorization
    let res = await this.fetch(url, { ...init, headers })
    if (res.status !== 401 || this.authorization) return res
    const authorization = await challengeAuthorization(
      res.headers.get('www-authenticate') ?? '',
      this.repository,
      this.auth
    )
    if (!authorization) return res
    this.authorization = authorization
    headers.Authorization = this.authorization
    res = await this.fetch(url, { ...init, headers })
    return res
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(600_000) })
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause
      const reason = cause?.code ?? cause?.message ?? (e as Error).message
      throw new Error(redact(`cannot reach ${new URL(url).host}: ${reason}`, this.secrets), { cause: e })
    }
  }

  private async error(what: string, res: Response): Promise<Error> {
    let detail = ''
    if (res.status === 401)
      detail = this.auth ? 'the credentials were refused' : 'the registry requires credentials'
    else {
      try {
        const j = JSON.parse(await res.text()) as { errors?: { code?: string; message?: string }[] }
        detail = (j.errors ?? []).map((x) => [x.code, x.message].filter(Boolean).join(': ')).join('; ')
      } catch {
        // no JSON body
      }
    }
    return new Error(
      redact(`${what}: HTTP ${res.status}${detail ? ` (${detail.slice(0, 300)})` : ''}`, this.secrets)
    )
  }
}

/** `linux/amd64`, `linux/arm64`: the platform an engine on this machine builds for by default. */
export function hostPlatform(): string {
  const arch: Record<string, string> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ia32: '386',
    s390x: 's390x',
    ppc64: 'ppc64le'
  }
  return `linux/${arch[process.arch] ?? process.arch}`
}

/** A pass-through that fails when the bytes are not `size` long or do not hash to `digest`. */
function verify(digest: string, size: number): Transform {
  const hash = createHash('sha256')
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      hash.update(chunk)
      seen += chunk.length
      cb(null, chunk)
    },
    flush(cb: TransformCallback) {
      const got = `sha256:${hash.digest('hex')}`
      if (seen !== size) cb(new Error(`the blob ${digest} is ${seen} bytes, not ${size}`))
      else if (got !== digest) cb(new Error(`the blob ${digest} has the digest ${got}`))
      else cb()
    }
  })
}
