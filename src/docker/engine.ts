/**
 * The one seam to the Docker engine. Everything the product asks of the engine goes through `Engine`: build
 * (BuildKit through `POST /build?version=2`, or the classic builder), inspect, export, tag, push (with the
 * digest read back from the registry), a hardened-runtime smoke test, and removal.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { IncomingMessage } from 'node:http'
import { StringDecoder } from 'node:string_decoder'
import Docker from 'dockerode'
import { contextTarStream } from './context.js'
import { BuildkitProgress } from './buildkit.js'
import { parseRef, validateTagRef } from './tags.js'
import {
  DEFAULT_RETRY,
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

export type { RegistryAuth, RetryOptions } from './registry.js'

export interface BuildOptions {
  contextDir: string
  /** Path of the Dockerfile, relative to the current directory or absolute. */
  dockerfile: string
  tags: string[]
  buildArgs: Record<string, string>
  target?: string
  labels: Record<string, string>
  noCache: boolean
  pull: boolean
  /** A single platform, e.g. `linux/amd64`. */
  platform?: string
  cacheFrom: string[]
  builder: 'auto' | 'buildkit' | 'classic'
}

export interface ImageInspect {
  Id: string
  RepoTags: string[]
  RepoDigests: string[]
  RootFS: { Type?: string; Layers: string[] }
  Config: {
    User?: string
    Env?: string[]
    ExposedPorts?: Record<string, unknown>
    Labels?: Record<string, string> | null
    Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number } | null
    Entrypoint?: string[] | null
    Cmd?: string[] | null
    WorkingDir?: string
  }
  Architecture: string
  Os: string
}

export interface PushResult {
  /** The refs that were pushed, all of them. */
  refs: string[]
  /** The manifest digest the registry holds for the first ref (read back, and equal to what the push reported). */
  digest: string
  /** The digest of each ref, as read back from its registry. */
  digests: Record<string, string>
}

export interface SmokeOptions {
  /** How long the container must keep running (when it has no HEALTHCHECK that turns healthy first). */
  seconds: number
}

export interface SmokeResult {
  passed: boolean
  reason: string
  /** The container's last log lines (stdout and stderr). */
  logs: string[]
}

export interface EngineInfo {
  apiVersion: string
  serverVersion: string
  buildkit: boolean
}

export interface Engine {
  info(): Promise<EngineInfo>
  build(opts: BuildOptions, onLine: (line: string) => void): Promise<{ imageId: string }>
  /** The image, or undefined when the engine does not have it. */
  inspectImage(ref: string): Promise<ImageInspect | undefined>
  /** `docker save` of one image (GET /images/{name}/get), as a tar stream. */
  exportImage(ref: string): Promise<NodeJS.ReadableStream>
  tagImage(imageId: string, ref: string): Promise<void>
  push(
    imageId: string,
    refs: string[],
    auth: RegistryAuth,
    onLine?: (line: string) => void
  ): Promise<PushResult>
  smokeTest(imageId: string, opts: SmokeOptions): Promise<SmokeResult>
  /** Removes a tag or an image; a missing one is not an error. */
  removeImage(ref: string): Promise<void>
  /** Pulls an image into the engine's image store (POST /images/create), following its progress to the end. */
  pullImage(ref: string, onLine?: (line: string) => void): Promise<void>
}

export interface EngineOptions {
  /** `unix:///var/run/docker.sock`, `tcp://host:2375`; defaults to DOCKER_HOST, then the default socket. */
  dockerHost?: string
  /** Bounds of the retry of transient registry failures during a push. */
  retry?: Partial<RetryOptions>
}

interface DialOptions {
  path: string
  method: string
  options?: Record<string, unknown>
  file?: NodeJS.ReadableStream
  authconfig?: Record<string, string>
  isStream?: boolean
  headers?: Record<string, string>
  statusCodes: Record<number, boolean | string>
}

interface Modem {
  dial(
    opts: DialOptions,
    cb: (err: (Error & { statusCode?: number; json?: unknown }) | null, res: unknown) => void
  ): void
}

interface JsonMessage {
  stream?: string
  status?: string
  id?: string
  progress?: string
  aux?: unknown
  error?: string
  errorDetail?: { message?: string }
}

const UNREACHABLE = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'EACCES',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ECONNRESET',
  'EPERM'
])

function dockerOptions(dockerHost: string | undefined): Docker.DockerOptions | undefined {
  if (!dockerHost) return undefined
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) }
  if (dockerHost.startsWith('npipe://')) return { socketPath: dockerHost.slice('npipe://'.length) }
  let u: URL
  try {
    u = new URL(dockerHost.includes('//') ? dockerHost : `tcp://${dockerHost}`)
  } catch {
    throw new Error(
      `invalid Docker host "${dockerHost}": expected unix:///path/to/docker.sock or tcp://host:port`
    )
  }
  if (u.protocol !== 'tcp:' && u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new Error(`unsupported Docker host "${dockerHost}": use unix:// or tcp://`)
  }
  const tls = process.env.DOCKER_TLS_VERIFY === '1' || u.port === '2376' || u.protocol === 'https:'
  const o: Docker.DockerOptions = {
    host: u.hostname,
    port: u.port || (tls ? 2376 : 2375),
    protocol: tls ? 'https' : 'http'
  }
  const certs = process.env.DOCKER_CERT_PATH
  if (tls && certs) {
    o.ca = readFileSync(join(certs, 'ca.pem'))
    o.cert = readFileSync(join(certs, 'cert.pem'))
    o.key = readFileSync(join(certs, 'key.pem'))
  }
  return o
}

/** Splits `host:5000/org/app:tag` into the repository and the tag. */
function splitTag(ref: string): { repo: string; tag: string } {
  const colon = ref.lastIndexOf(':')
  if (colon > ref.lastIndexOf('/')) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) }
  return { repo: ref, tag: 'latest' }
}

/** Reads a JSON-lines response, calling `onMessage` for each message. */
function readMessages(res: NodeJS.ReadableStream, onMessage: (m: JsonMessage) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let buf = ''
    const utf8 = new StringDecoder('utf8')
    const handle = (line: string): void => {
      const t = line.trim()
      if (!t) return
      let m: JsonMessage
      try {
        m = JSON.parse(t) as JsonMessage
      } catch {
        m = { stream: `${t}\n` }
      }
      onMessage(m)
    }
    res.on('data', (chunk: Buffer | string) => {
      buf += typeof chunk === 'string' ? chunk : utf8.write(chunk)
      let nl
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 1)
        try {
          handle(line)
        } catch (e) {
          reject(e as Error)
        }
      }
    })
    res.on('end', () => {
      try {
        handle(buf + utf8.end())
        resolvePromise()
      } catch (e) {
        reject(e as Error)
      }
    })
    res.on('error', reject)
  })
}

function errorText(m: JsonMessage): string | undefined {
  if (m.errorDetail?.message) return m.errorDetail.message
  return m.error
}

/** Splits the engine's multiplexed log stream (no TTY) into lines. */
function demuxLogs(buf: Buffer): string[] {
  const parts: string[] = []
  let i = 0
  const framed = buf.length >= 8 && buf[0] <= 2 && buf[1] === 0 && buf[2] === 0 && buf[3] === 0
  if (!framed) return buf.toString('utf8').split(/\r?\n/)
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4)
    parts.push(buf.subarray(i + 8, i + 8 + size).toString('utf8'))
    i += 8 + size
  }
  return parts.join('').split(/\r?\n/)
}

function isRootUser(user: string | undefined): boolean {
  const u = (user ?? '').trim()
  if (u === '') return true
  const name = u.split(':')[0]
  return name === 'root' || name === '0'
}

class DockerEngine implements Engine {
  private readonly docker: Docker
  private readonly modem: Modem
  private readonly where: string
  private readonly retry: RetryOptions
  private cachedInfo?: EngineInfo

  constructor(opts: EngineOptions = {}) {
    this.where = opts.dockerHost ?? process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'
    this.docker = new Docker(dockerOptions(opts.dockerHost))
    this.modem = this.docker.modem as Modem
    this.retry = { ...DEFAULT_RETRY, ...(opts.retry ?? {}) }
  }

  /** Turns a transport error into "cannot reach the Docker engine at …". */
  private engineError(e: unknown): Error {
    const err = e as Error & { code?: string; statusCode?: number; json?: { message?: string } }
    if (err.code && UNREACHABLE.has(err.code) && err.statusCode === undefined) {
      return new Error(`cannot reach the Docker engine at ${this.where}: ${err.code} ${err.message}`.trim())
    }
    if (err.statusCode !== undefined) {
      const msg = (err.json && typeof err.json === 'object' && err.json.message) || err.message
      const e2 = new Error(`the Docker engine answered HTTP ${err.statusCode}: ${String(msg).trim()}`)
      ;(e2 as Error & { statusCode?: number }).statusCode = err.statusCode
      return e2
    }
    return err instanceof Error ? err : new Error(String(e))
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      throw this.engineError(e)
    }
  }

  private dial<T>(opts: DialOptions): Promise<T> {
    return new Promise((resolvePromise, reject) => {
      this.modem.dial(opts, (err, res) => (err ? reject(this.engineError(err)) : resolvePromise(res as T)))
    })
  }

  async info(): Promise<EngineInfo> {
    if (this.cachedInfo) return this.cachedInfo
    const v = await this.call(() => this.docker.version())
    const [major, minor] = String(v.ApiVersion).split('.').map(Number)
    const buildkit = String(v.Os) === 'linux' && (major > 1 || (major === 1 && minor >= 39))
    this.cachedInfo = { apiVersion: String(v.ApiVersion), serverVersion: String(v.Version), buildkit }
    return this.cachedInfo
  }

  async build(opts: BuildOptions, onLine: (line: string) => void): Promise<{ imageId: string }> {
    for (const t of opts.tags) validateTagRef(t)
    const info = await this.info()
    if (opts.builder === 'buildkit' && !info.buildkit) {
      throw new Error(
        `BuildKit is not available on this Docker engine (${info.serverVersion}, API ${info.apiVersion}); ` +
          'set builder to classic or auto'
      )
    }
    const useBuildkit = opts.builder !== 'classic' && info.buildkit
    try {
      return await this.runBuild(opts, onLine, useBuildkit)
    } catch (e) {
      const unsupported = /buildkit.*not (supported|enabled)|unsupported.*version|not implemented/i
      if (useBuildkit && opts.builder === 'auto' && unsupported.test((e as Error).message)) {
        onLine('BuildKit is not available through this engine; building with the classic builder')
        return this.runBuild(opts, onLine, false)
      }
      throw e
    }
  }

  private async runBuild(
    opts: BuildOptions,
    onLine: (line: string) => void,
    buildkit: boolean
  ): Promise<{ imageId: string }> {
    const { stream, dockerfileName } = await contextTarStream(opts.contextDir, opts.dockerfile)
    const query: Record<string, unknown> = {
      t: opts.tags,
      dockerfile: dockerfileName,
      buildargs: JSON.stringify(opts.buildArgs),
      labels: JSON.stringify(opts.labels),
      rm: 'true',
      forcerm: 'true',
      version: buildkit ? '2' : '1'
    }
    if (opts.target) query.target = opts.target
    if (opts.noCache) query.nocache = 'true'
    if (opts.pull) query.pull = 'true'
    if (opts.platform) query.platform = opts.platform
    if (opts.cacheFrom.length > 0) query.cachefrom = JSON.stringify(opts.cacheFrom)

    const res = await this.dial<IncomingMessage>({
      path: '/build?',
      method: 'POST',
      options: { _query: query },
      file: stream,
      isStream: true,
      headers: { 'Content-Type': 'application/x-tar' },
      statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' }
    })

    const progress = new BuildkitProgress(onLine)
    let imageId: string | undefined
    let error: string | undefined
    let lastStep: string | undefined
    let stepOutput: string[] = []
    let partial = ''
    const classicLine = (line: string): void => {
      if (/^Step \d+\/\d+ : /.test(line)) {
        lastStep = line
        stepOutput = []
      } else {
        stepOutput.push(line)
        if (stepOutput.length > 200) stepOutput.shift()
      }
      onLine(line)
    }
    await readMessages(res, (m) => {
      const err = errorText(m)
      if (err !== undefined) {
        error = err
        return
      }
      if (m.id === 'moby.buildkit.trace' && typeof m.aux === 'string') {
        progress.push(m.aux)
        return
      }
      if (m.aux && typeof m.aux === 'object' && typeof (m.aux as { ID?: unknown }).ID === 'string') {
        imageId = (m.aux as { ID: string }).ID
        return
      }
      if (typeof m.stream === 'string') {
        // eslint-disable-next-line no-control-regex
        const lines = (partial + m.stream).replace(/\x1b\[[0-9;]*m/g, '').split(/\r?\n/)
        partial = lines.pop() ?? ''
        for (const l of lines) classicLine(l)
        return
      }
      if (typeof m.status === 'string') onLine(m.id ? `${m.id}: ${m.status}` : m.status)
    })
    if (partial) classicLine(partial)

    if (error !== undefined) {
      if (buildkit) {
        const f = progress.failure()
        if (f) {
          const out = f.logs.length ? `\n${f.logs.join('\n')}` : ''
          throw new Error(`the build failed at ${f.step}: ${error}${out}`)
        }
        throw new Error(`the build failed: ${error}`)
      }
      const out = stepOutput
        .filter((l) => l.trim() !== '' && !/^ ---> |^Removing intermediate container /.test(l))
        .slice(-30)
      throw new Error(
        `the build failed${lastStep ? ` at ${lastStep}` : ''}: ${error}${out.length ? `\n${out.join('\n')}` : ''}`
      )
    }
    if (!imageId && opts.tags.length > 0) imageId = (await this.inspectImage(opts.tags[0]))?.Id
    if (!imageId) throw new Error('the build finished but the engine reported no image ID')
    return { imageId }
  }

  async inspectImage(ref: string): Promise<ImageInspect | undefined> {
    try {
      return (await this.docker.getImage(ref).inspect()) as unknown as ImageInspect
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return undefined
      throw this.engineError(e)
    }
  }

  async exportImage(ref: string): Promise<NodeJS.ReadableStream> {
    return this.call(() => this.docker.getImage(ref).get())
  }

  async tagImage(imageId: string, ref: string): Promise<void> {
    validateTagRef(ref)
    const { repo, tag } = splitTag(ref)
    await this.call(() => this.docker.getImage(imageId).tag({ repo, tag }))
  }

  async pullImage(ref: string, onLine: (line: string) => void = () => {}): Promise<void> {
    const stream = (await this.call(() => this.docker.pull(ref))) as NodeJS.ReadableStream
    await new Promise<void>((resolvePromise, reject) => {
      this.docker.modem.followProgress(
        stream,
        (err: Error | null, output: { error?: string; errorDetail?: { message?: string } }[]) => {
          if (err) return reject(this.engineError(err))
          const failed = output.find((m) => m.error || m.errorDetail)
          if (failed)
            return reject(new Error(`pulling ${ref} failed: ${failed.errorDetail?.message ?? failed.error}`))
          resolvePromise()
        },
        (event: { status?: string; id?: string }) => {
          if (event.status && !event.id) onLine(event.status)
        }
      )
    })
  }

  async removeImage(ref: string): Promise<void> {
    try {
      await this.docker.getImage(ref).remove({ force: true })
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return
      throw this.engineError(e)
    }
  }

  /** One push of one ref: resolves to the digest the engine reported, or throws a RegistryError. */
  private async pushOnce(ref: string, auth: RegistryAuth, onLine: (line: string) => void): Promise<string> {
    const { repo, tag } = splitTag(ref)
    const secrets = authSecrets(auth)
    // The raw error is not kept as a cause: only its redacted message leaves this function.
    const res = await this.dial<IncomingMessage>({
      path: `/images/${repo}/push?`,
      method: 'POST',
      options: { _query: { tag } },
      authconfig: { username: auth.username, password: auth.password, serveraddress: auth.registry },
      isStream: true,
      statusCodes: { 200: true, 404: 'no such image', 500: 'server error' }
    }).catch((e: Error) => e)
    if (res instanceof Error) {
      const msg = redact(res.message, secrets)
      if (/cannot reach the Docker engine/.test(msg)) throw new Error(msg)
      throw new RegistryError(msg, isTransientMessage(msg))
    }
    let digest: string | undefined
    let error: string | undefined
    await readMessages(res, (m) => {
      const err = errorText(m)
      if (err !== undefined) {
        error = redact(err, secrets)
        return
      }
      const aux = m.aux as { Digest?: string } | undefined
      if (aux && typeof aux.Digest === 'string') digest = aux.Digest
      if (typeof m.status === 'string' && !m.progress && m.status !== 'Pushing') {
        onLine(redact(m.id ? `${m.id}: ${m.status}` : m.status, secrets))
      }
    })
    if (error !== undefined) throw new RegistryError(error, isTransientMessage(error))
    if (!digest) throw new RegistryError('the engine reported no manifest digest', true)
    return digest
  }

  async push(
    imageId: string,
    refs: string[],
    auth: RegistryAuth,
    onLine: (line: string) => void = () => {}
  ): Promise<PushResult> {
    if (refs.length === 0) throw new Error('nothing to push: no tags')
    if (!auth.registry) throw new Error('no registry given for the push credentials')
    const image = await this.inspectImage(imageId)
    if (!image) throw new Error(`cannot push ${imageId}: the engine has no such image`)
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
    const digests: Record<string, string> = {}
    for (const ref of refs) {
      await this.tagImage(image.Id, ref)
      const pushed = await withRetry(
        `pushing ${ref}`,
        async () => {
          // The tag must still name the image that was built and scanned.
          const now = await this.inspectImage(ref)
          if (now?.Id !== image.Id) {
            throw new Error(
              `the tag ${ref} no longer points at ${image.Id} (now ${now?.Id ?? 'nothing'}); not pushing`
            )
          }
          return this.pushOnce(ref, auth, onLine)
        },
        this.retry,
        (l) => onLine(redact(l, secrets))
      )
      const held = await withRetry(
        `reading back ${ref}`,
        () => headManifestDigest(ref, auth),
        this.retry,
        (l) => onLine(redact(l, secrets))
      )
      if (held !== pushed) {
        throw new Error(`the registry holds ${held} for ${ref}, but the push reported ${pushed}`)
      }
      onLine(`pushed ${ref} ${held}`)
      digests[ref] = held
    }
    return { refs: [...refs], digest: digests[refs[0]], digests }
  }

  async smokeTest(imageId: string, opts: SmokeOptions): Promise<SmokeResult> {
    const image = await this.inspectImage(imageId)
    if (!image) throw new Error(`cannot smoke-test ${imageId}: the engine has no such image`)
    const user = image.Config.User
    if (isRootUser(user)) {
      return {
        passed: false,
        reason:
          `the image runs as root (${user ? `USER ${user}` : 'no USER'}); the smoke test runs images only as ` +
          'their own non-root USER: add a USER with a non-zero UID',
        logs: []
      }
    }
    const container = await this.call(() =>
      this.docker.createContainer({
        Image: image.Id,
        Labels: { 'org.secure-image.smoke-test': 'true' },
        HostConfig: {
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges'],
          ReadonlyRootfs: true,
          Tmpfs: { '/tmp': 'rw,nosuid,nodev,size=64m' },
          NetworkMode: 'none',
          AutoRemove: false
        }
      })
    )
    const logs = async (): Promise<string[]> => {
      try {
        const buf = (await container.logs({
          stdout: true,
          stderr: true,
          follow: false,
          tail: 50
        })) as unknown as Buffer
        const lines = demuxLogs(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)))
        while (lines.length && lines[lines.length - 1] === '') lines.pop()
        return lines.slice(-20)
      } catch {
        return []
      }
    }
    try {
      await this.call(() => container.start())
      const deadline = Date.now() + Math.max(0, opts.seconds) * 1000
      for (;;) {
        const st = (await this.call(() => container.inspect())).State
        const health = st.Health?.Status
        if (health === 'healthy')
          return { passed: true, reason: 'the HEALTHCHECK turned healthy', logs: await logs() }
        if (health === 'unhealthy') {
          return { passed: false, reason: 'the HEALTHCHECK turned unhealthy', logs: await logs() }
        }
        if (!st.Running) {
          if (st.ExitCode === 0)
            return { passed: true, reason: 'the container exited with code 0', logs: await logs() }
          const why = st.OOMKilled ? ' (out of memory)' : st.Error ? ` (${st.Error})` : ''
          return {
            passed: false,
            reason: `the container exited with code ${st.ExitCode}${why} under the hardened runtime`,
            logs: await logs()
          }
        }
        if (Date.now() >= deadline) {
          return {
            passed: true,
            reason: `the container was still running after ${opts.seconds}s`,
            logs: await logs()
          }
        }
        await new Promise((r) => setTimeout(r, 250))
      }
    } catch (e) {
      const err = e as Error
      return { passed: false, reason: `the container could not run: ${err.message}`, logs: await logs() }
    } finally {
      await container.remove({ force: true, v: true }).catch(() => undefined)
    }
  }
}

/** An Engine on `opts.dockerHost`, DOCKER_HOST, or the default socket. */
export function createEngine(opts: EngineOptions = {}): Engine {
  return new DockerEngine(opts)
}
