/**
 * The registry side of a push: credentials, the bounded retry of transient failures, and reading a tag's
 * manifest digest back from the registry (HEAD on the v2 manifest endpoint, Basic auth or the Bearer token
 * flow announced in WWW-Authenticate). Credentials are only ever held in memory, and the password is removed
 * from every message that could reach a log.
 */
import { createHash } from 'node:crypto'
import { parseRef, DOCKER_HUB } from './tags.js'

export interface RegistryAuth {
  /** Registry host, e.g. `ghcr.io`, `127.0.0.1:5000`; `docker.io` for Docker Hub. */
  registry: string
  username: string
  password: string
}

export interface RetryOptions {
  /** Total attempts, the first included. Default 5. */
  attempts: number
  /** Delay before the first retry, doubled after each. Default 1000 ms. */
  baseDelayMs: number
  /** Upper bound of one delay (also caps Retry-After). Default 30000 ms. */
  maxDelayMs: number
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30000 }

/** An error that says whether retrying could help, and how long the server asked to wait. */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly retryAfterMs?: number
  ) {
    super(message)
    this.name = 'RegistryError'
  }
}

const PERMANENT =
  /unauthori[sz]ed|authentication required|denied|forbidden|name unknown|repository name not known|not found|manifest unknown|invalid|no basic auth credentials|requested access to the resource/i
const TRANSIENT =
  /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|connection refused|connection reset|broken pipe|unexpected EOF|\bEOF\b|i\/o timeout|TLS handshake timeout|timeout|too many requests|toomanyrequests|\b429\b|\b50[0-9]\b|service unavailable|bad gateway|gateway time-?out|internal server error/i

/** Classifies an engine or registry error message: connection trouble, 5xx and 429 are transient. */
export function isTransientMessage(message: string): boolean {
  return !PERMANENT.test(message) && TRANSIENT.test(message)
}

/** The strings that must never appear in a message: the password, and the user:password pair (Basic auth). */
export function authSecrets(auth: RegistryAuth | undefined): string[] {
  if (!auth || !auth.password) return []
  return [`${auth.username}:${auth.password}`, auth.password]
}

/** Replaces every occurrence of the secrets (and their base64 forms) with `***`. */
export function redact(text: string, secrets: string[]): string {
  let out = text
  for (const s of secrets) {
    if (!s) continue
    const forms = [s, Buffer.from(s).toString('base64'), encodeURIComponent(s)]
    for (const f of forms) if (f.length >= 3) out = out.split(f).join('***')
  }
  return out
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Runs `fn`, retrying RegistryErrors marked transient with exponential backoff (base × 2^n, capped at
 * maxDelayMs; a server's Retry-After is honoured up to the same cap). Any other error is thrown at once.
 */
export async function withRetry<T>(
  what: string,
  fn: (attempt: number) => Promise<T>,
  retry: RetryOptions,
  onLine?: (line: string) => void
): Promise<T> {
  const attempts = Math.max(1, retry.attempts)
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (e) {
      if (!(e instanceof RegistryError)) throw e
      if (!e.transient) throw new Error(`${what} failed: ${e.message}`, { cause: e })
      if (attempt >= attempts) {
        throw new Error(`${what} failed after ${attempts} attempts: ${e.message}`, { cause: e })
      }
      const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1))
      const delay = Math.min(retry.maxDelayMs, Math.max(backoff, e.retryAfterMs ?? 0))
      onLine?.(`${what}: ${e.message}; retrying in ${(delay / 1000).toFixed(1)}s (${attempt}/${attempts})`)
      await sleep(delay)
    }
  }
}

/** Docker Hub's API host; loopback registries speak HTTP, every other one HTTPS. */
export function registryBaseUrl(registry: string): string {
  const host = registry === DOCKER_HUB || registry === 'index.docker.io' ? 'registry-1.docker.io' : registry
  const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')
  const loopback = hostname === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '::1'
  return `${loopback ? 'http' : 'https'}://${host}`
}

/** True when two registry names denote the same registry (Docker Hub has several names). */
export function sameRegistry(a: string, b: string): boolean {
  const norm = (r: string): string => {
    const x = r
      .replace(/^https?:\/\//, '')
      .replace(/\/.*$/, '')
      .toLowerCase()
    return ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'].includes(x)
      ? DOCKER_HUB
      : x
  }
  return norm(a) === norm(b)
}

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json'
].join(', ')

function parseRetryAfter(h: string | null): number | undefined {
  if (!h) return undefined
  const s = Number(h)
  if (Number.isFinite(s)) return Math.max(0, s * 1000)
  const t = Date.parse(h)
  return Number.isFinite(t) ? Math.max(0, t - Date.now()) : undefined
}

/** Parses `Bearer realm="…",service="…",scope="…"` (or `Basic realm=…`). */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^\s*(\w+)\s*(.*)$/.exec(header)
  const params: Record<string, string> = {}
  if (!m) return { scheme: '', params }
  const re = /(\w+)=(?:"([^"]*)"|([^,\s]*))/g
  let p
  while ((p = re.exec(m[2])) !== null) params[p[1].toLowerCase()] = p[2] ?? p[3]
  return { scheme: m[1].toLowerCase(), params }
}

/** One registry request may take this long; a registry that does not answer is a transient failure. */
const REQUEST_TIMEOUT_MS = 60_000

async function request(url: string, init: RequestInit, secrets: string[]): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause
    const reason = cause?.code ?? cause?.message ?? (e as Error).message
    throw new RegistryError(redact(`cannot reach ${new URL(url).host}: ${reason}`, secrets), true)
  }
}

function httpError(what: string, res: Response, body: string, secrets: string[]): RegistryError {
  let detail = body.trim()
  try {
    const j = JSON.parse(body) as { errors?: { code?: string; message?: string }[] }
    if (j.errors?.length)
      detail = j.errors.map((x) => [x.code, x.message].filter(Boolean).join(': ')).join('; ')
  } catch {
    // not JSON: keep the text
  }
  const transient = res.status >= 500 || res.status === 429
  const msg = `${what}: HTTP ${res.status}${detail ? ` ${detail.slice(0, 300)}` : ''}`
  return new RegistryError(redact(msg, secrets), transient, parseRetryAfter(res.headers.get('retry-after')))
}

/**
 * The Authorization header that answers a registry's 401 challenge (its WWW-Authenticate header): a Bearer token
 * fetched from the announced realm (with the credentials, when given, as Basic auth; scoped to pulling
 * `repository` unless the challenge names its own scope), or the credentials as Basic auth. Undefined when the
 * registry asks for credentials and none were given.
 */
export async function challengeAuthorization(
  header: string,
  repository: string,
  auth: RegistryAuth | undefined
): Promise<string | undefined> {
  const secrets = authSecrets(auth)
  const challenge = parseChallenge(header)
  const basic = auth
    ? 'Basic ' + Buffer.from(`${auth.username}:${auth.password}`).toString('base64')
    : undefined
  if (challenge.scheme !== 'bearer' || !challenge.params.realm) return basic
  const tokenUrl = new URL(challenge.params.realm)
  if (challenge.params.service) tokenUrl.searchParams.set('service', challenge.params.service)
  tokenUrl.searchParams.set('scope', challenge.params.scope ?? `repository:${repository}:pull`)
  const what = `getting a registry token for ${repository}`
  const tres = await request(tokenUrl.toString(), { headers: basic ? { Authorization: basic } : {} }, secrets)
  const tbody = await tres.text()
  if (!tres.ok) throw httpError(what, tres, tbody, secrets)
  let tok: { token?: string; access_token?: string } = {}
  try {
    tok = JSON.parse(tbody) as typeof tok
  } catch {
    // not JSON: no token
  }
  const token = tok.token ?? tok.access_token
  if (!token) throw new RegistryError(`${what}: the answer holds no token`, false)
  return `Bearer ${token}`
}

const noCredentials = (what: string): RegistryError =>
  new RegistryError(`${what}: the registry requires authentication and no credentials were given`, false)

/**
 * Reads the manifest digest a registry holds for `ref` (HEAD /v2/<repo>/manifests/<tag>). One attempt; wrap
 * it in withRetry. Throws a RegistryError (transient for connection errors, 5xx and 429).
 */
export async function headManifestDigest(ref: string, given?: RegistryAuth): Promise<string> {
  const p = parseRef(ref)
  // Credentials only ever go to the registry they were given for.
  const auth = given && sameRegistry(given.registry, p.registry) ? given : undefined
  const reference = p.digest ?? p.tag ?? 'latest'
  const base = registryBaseUrl(p.registry)
  const url = `${base}/v2/${p.repository}/manifests/${reference}`
  const secrets = authSecrets(auth)
  const what = `reading the manifest of ${ref} from the registry`
  const headers: Record<string, string> = { Accept: MANIFEST_ACCEPT }
  let res = await request(url, { method: 'HEAD', headers }, secrets)
  if (res.status === 401) {
    const authorization = await challengeAuthorization(
      res.headers.get('www-authenticate') ?? '',
      p.repository,
      auth
    )
    if (!authorization) throw noCredentials(what)
    headers.Authorization = authorization
    res = await request(url, { method: 'HEAD', headers }, secrets)
  }
  if (!res.ok) {
    // HEAD has no body: ask again with GET for the registry's message.
    let body = ''
    if (res.status < 500 && res.status !== 429) {
      const g = await request(url, { method: 'GET', headers }, secrets)
      body = await g.text()
    }
    throw httpError(what, res, body, secrets)
  }
  const digest = res.headers.get('docker-content-digest')
  if (!digest || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new RegistryError(`${what}: the registry sent no Docker-Content-Digest header`, false)
  }
  return digest
}

/** A manifest or index as the registry serves it: the exact bytes, their digest, and the media type. */
export interface FetchedManifest {
  bytes: Buffer
  digest: string
  mediaType: string
}

/** An OCI descriptor, as listed in an index or a manifest. */
export interface Descriptor {
  mediaType: string
  digest: string
  size: number
  artifactType?: string
  annotations?: Record<string, string>
}

const REFERRERS_ACCEPT = 'application/vnd.oci.image.index.v1+json'

/**
 * Read access to one repository of a registry: manifests, blobs and referrers, with the same Basic auth or
 * Bearer token flow as `headManifestDigest` (the token is fetched once, on the first 401). Every manifest and
 * blob is checked against the digest it was asked by, so a registry cannot hand back other content.
 */
export class RepositoryReader {
  private authorization: string | undefined
  private readonly base: string
  private readonly secrets: string[]
  /** The credentials, only when they were given for this registry: they never go to another one. */
  private readonly auth: RegistryAuth | undefined

  constructor(
    readonly registry: string,
    readonly repository: string,
    auth?: RegistryAuth
  ) {
    this.base = `${registryBaseUrl(registry)}/v2/${repository}`
    this.secrets = authSecrets(auth)
    this.auth = auth && sameRegistry(auth.registry, registry) ? auth : undefined
  }

  private async get(path: string, accept: string, what: string, allow404 = false): Promise<Response> {
    const url = `${this.base}/${path}`
    const headers = (): Record<string, string> => ({
      Accept: accept,
      ...(this.authorization ? { Authorization: this.authorization } : {})
    })
    let res = await request(url, { headers: headers() }, this.secrets)
    if (res.status === 401) {
      await res.body?.cancel()
      this.authorization = await this.authorize(res.headers.get('www-authenticate') ?? '', what)
      res = await request(url, { headers: headers() }, this.secrets)
    }
    if (res.status === 404 && allow404) return res
    if (!res.ok) throw httpError(what, res, await res.text(), this.secrets)
    return res
  }

  private async authorize(header: string, what: string): Promise<string> {
    const authorization = await challengeAuthorization(header, this.repository, this.auth)
    if (!authorization) throw noCredentials(what)
    return authorization
  }

  /** The manifest (or index) at a tag or digest; undefined when the registry has none. */
  async manifest(reference: string): Promise<FetchedManifest | undefined> {
    const what = `reading the manifest ${this.repository}:${reference}`
    const res = await this.get(`manifests/${reference}`, MANIFEST_ACCEPT, what, true)
    if (res.status === 404) {
      await res.body?.cancel()
      return undefined
    }
    const bytes = Buffer.from(await res.arrayBuffer())
    const digest = sha256Digest(bytes)
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new RegistryError(`${what}: the registry sent content whose digest is ${digest}`, false)
    }
    const header = res.headers.get('docker-content-digest')
    if (header && header !== digest) {
      throw new RegistryError(
        `${what}: the content's digest ${digest} differs from the registry's ${header}`,
        false
      )
    }
    const mediaType =
      (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ??
      res.headers.get('content-type') ??
      ''
    return { bytes, digest, mediaType }
  }

  /** A blob, checked against its digest. */
  async blob(digest: string): Promise<Buffer> {
    const what = `reading the blob ${digest} of ${this.repository}`
    const res = await this.get(`blobs/${digest}`, '*/*', what)
    const bytes = Buffer.from(await res.arrayBuffer())
    if (sha256Digest(bytes) !== digest)
      throw new RegistryError(`${what}: the content does not match its digest`, false)
    return bytes
  }

  /**
   * The referrers of a manifest: through the OCI 1.1 referrers API when the registry has it, otherwise from
   * the `sha256-<hex>` tag that the fallback of the distribution spec keeps ("Referrers Tag Schema").
   */
  async referrers(digest: string): Promise<{ descriptors: Descriptor[]; via: 'api' | 'tag' }> {
    const what = `listing the referrers of ${this.repository}@${digest}`
    const res = await this.get(`referrers/${digest}`, REFERRERS_ACCEPT, what, true).catch((e: unknown) => {
      // Registries without the API answer 404 or 405 (or an error code of their own): fall back to the tag.
      if (e instanceof RegistryError && !e.transient) return undefined
      throw e
    })
    if (res && res.ok && (res.headers.get('content-type') ?? '').includes(REFERRERS_ACCEPT)) {
      const index = (await res.json()) as { manifests?: Descriptor[] }
      return { descriptors: index.manifests ?? [], via: 'api' }
    }
    await res?.body?.cancel()
    const tag = digest.replace(':', '-')
    const index = await this.manifest(tag)
    if (!index) return { descriptors: [], via: 'tag' }
    const parsed = JSON.parse(index.bytes.toString('utf8')) as { manifests?: Descriptor[] }
    return { descriptors: parsed.manifests ?? [], via: 'tag' }
  }
}

function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}
