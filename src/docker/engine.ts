/**
 * The one seam to the Docker engine. Everything the product asks of the engine goes through `Engine`: build
 * (build.ts), inspect, export, tag, pull, push with the digest read back (push.ts), a hardened-runtime smoke
 * test (smoke.ts), and removal. transport.ts holds the client, its errors and the bound on every call; inspect
 * and export go through its light client (http.ts), so that a scan never loads dockerode.
 *
 * Engine differences, each in one place: the push digest (push.ts), BuildKit's uploaded-context defect on
 * Docker 25–27.4 (build.ts), and the export layouts of the two image stores (src/scan/image/archive.ts).
 */
import { stringify } from 'node:querystring'
import { validateTagRef } from './tags.js'
import { DEFAULT_RETRY, type RegistryAuth, type RetryOptions } from './registry.js'
import { Transport, DEFAULT_TIMEOUTS, errorText, readMessages, type EngineTimeouts } from './transport.js'
import { exportRequest, takeEarlyExport } from './early-export.js'
import { pushImage, splitTag } from './push.js'
import { smokeTest } from './smoke.js'
import { pullAuthConfig } from './credentials.js'

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
  /** Credentials for pulling base images, by registry (sent as `X-Registry-Config`, never written to disk). */
  credentials?: RegistryAuth[]
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
  /** `containerd` when the engine keeps images in containerd (Docker 29's default), else `graphdriver`. */
  imageStore: 'containerd' | 'graphdriver'
  /** The storage driver as `docker info` names it, e.g. `overlay2`, `overlayfs`. */
  storageDriver: string
}

export interface Engine {
  info(): Promise<EngineInfo>
  build(opts: BuildOptions, onLine: (line: string) => void): Promise<{ imageId: string }>
  /**
   * The image, or undefined when the engine does not have it. With `platform`, the containerd store answers
   * for that platform's manifest of a multi-platform image (the graph-driver store holds one platform a tag).
   */
  inspectImage(ref: string, opts?: { platform?: string }): Promise<ImageInspect | undefined>
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
  /**
   * Pulls an image into the engine's image store (POST /images/create), following its progress to the end,
   * for `platform` when given, with the credentials for its registry when there are any.
   */
  pullImage(
    ref: string,
    onLine?: (line: string) => void,
    opts?: { platform?: string; credentials?: RegistryAuth[] }
  ): Promise<void>
}

export interface EngineOptions {
  /** `unix:///var/run/docker.sock`, `tcp://host:2375`; defaults to DOCKER_HOST, then the default socket. */
  dockerHost?: string
  /** Bounds of the retry of transient registry failures during a push. */
  retry?: Partial<RetryOptions>
  /** Bounds of engine calls. */
  timeouts?: Partial<EngineTimeouts>
}

class DockerEngine implements Engine {
  private readonly t: Transport
  private readonly retry: RetryOptions
  private cachedInfo?: EngineInfo

  constructor(opts: EngineOptions = {}) {
    this.t = new Transport(opts.dockerHost, { ...DEFAULT_TIMEOUTS, ...(opts.timeouts ?? {}) })
    this.retry = { ...DEFAULT_RETRY, ...(opts.retry ?? {}) }
  }

  async info(): Promise<EngineInfo> {
    if (this.cachedInfo) return this.cachedInfo
    const v = await this.t.call((d) => d.version())
    const i = (await this.t.call((d) => d.info())) as {
      Driver?: string
      DriverStatus?: [string, string][] | null
    }
    const [major, minor] = String(v.ApiVersion).split('.').map(Number)
    const buildkit = String(v.Os) === 'linux' && (major > 1 || (major === 1 && minor >= 39))
    const driverType = (i.DriverStatus ?? []).find(([k]) => k === 'driver-type')?.[1]
    this.cachedInfo = {
      apiVersion: String(v.ApiVersion),
      serverVersion: String(v.Version),
      buildkit,
      imageStore: driverType === 'io.containerd.snapshotter.v1' ? 'containerd' : 'graphdriver',
      storageDriver: String(i.Driver ?? '')
    }
    return this.cachedInfo
  }

  async build(opts: BuildOptions, onLine: (line: string) => void): Promise<{ imageId: string }> {
    // Loaded here: the build context's tar writer is not needed by the other calls (a scan).
    const { buildImage } = await import('./build.js')
    return buildImage(this.t, await this.info(), opts, onLine)
  }

  async inspectImage(ref: string, opts: { platform?: string } = {}): Promise<ImageInspect | undefined> {
    const query = opts.platform ? await this.platformQuery(opts.platform) : {}
    const qs = stringify(query)
    try {
      // dockerode's inspect sends no query: ask the endpoint directly.
      return await this.t.get<ImageInspect>({
        path: `/images/${ref}/json${qs ? `?${qs}` : ''}`,
        statusCodes: { 200: true, 404: 'no such image', 500: 'server error' }
      })
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return undefined
      throw e
    }
  }

  /** `platform` as the image-inspect query takes it (API 1.49+, a JSON OCI platform); older APIs have none. */
  private async platformQuery(platform: string): Promise<Record<string, string>> {
    const [major, minor] = (await this.info()).apiVersion.split('.').map(Number)
    if (major === 1 && minor < 49) return {}
    const [os, architecture, variant] = platform.split('/')
    return { platform: JSON.stringify({ os, architecture, ...(variant ? { variant } : {}) }) }
  }

  async exportImage(ref: string): Promise<NodeJS.ReadableStream> {
    return takeEarlyExport(this.t, ref) ?? exportRequest(this.t, ref)
  }

  async tagImage(imageId: string, ref: string): Promise<void> {
    validateTagRef(ref)
    const { repo, tag } = splitTag(ref)
    await this.t.call((d) => d.getImage(imageId).tag({ repo, tag }))
  }

  async pullImage(
    ref: string,
    onLine: (line: string) => void = () => {},
    opts: { platform?: string; credentials?: RegistryAuth[] } = {}
  ): Promise<void> {
    const authconfig = pullAuthConfig(ref, opts.credentials ?? [])
    const stream = (await this.t.call((d) =>
      d.pull(ref, {
        ...(opts.platform ? { platform: opts.platform } : {}),
        ...(authconfig ? { authconfig } : {})
      })
    )) as NodeJS.ReadableStream
    let failed: string | undefined
    await readMessages(
      stream,
      (m) => {
        const err = errorText(m)
        if (err !== undefined) failed = err
        else if (m.status && !m.id) onLine(m.status)
      },
      { ms: this.t.timeouts.idleMs, what: `the pull of ${ref}` }
    )
    if (failed !== undefined) throw new Error(`pulling ${ref} failed: ${failed}`)
  }

  async removeImage(ref: string): Promise<void> {
    try {
      await this.t.call((d) => d.getImage(ref).remove({ force: true }))
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return
      throw e
    }
  }

  async push(
    imageId: string,
    refs: string[],
    auth: RegistryAuth,
    onLine: (line: string) => void = () => {}
  ): Promise<PushResult> {
    const image = await this.inspectImage(imageId)
    if (!image) throw new Error(`cannot push ${imageId}: the engine has no such image`)
    return pushImage(
      this.t,
      image,
      refs,
      auth,
      this.retry,
      (id, ref) => this.tagImage(id, ref),
      (ref) => this.inspectImage(ref),
      onLine
    )
  }

  async smokeTest(imageId: string, opts: SmokeOptions): Promise<SmokeResult> {
    return smokeTest(this.t, await this.inspectImage(imageId), imageId, opts)
  }
}

/** An Engine on `opts.dockerHost`, DOCKER_HOST, or the default socket. */
export function createEngine(opts: EngineOptions = {}): Engine {
  return new DockerEngine(opts)
}
