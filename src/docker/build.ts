/**
 * Building an image: BuildKit through `POST /build?version=2` (no buildx, no session), or the classic builder.
 * With `builder: auto`, the classic builder takes over only when BuildKit could not build at all: the engine
 * refused a BuildKit build, or its BuildKit could not read the uploaded context (moby/moby#47717, Docker 25 to
 * 27.4 with the containerd image store). A step that fails is never a reason to build again. The one other
 * rebuild is of a classic build that lost a race in the engine's own cache (see `classicCacheRace`).
 */
import type { IncomingMessage } from 'node:http'
import { contextTarStream } from './context.js'
import { BuildkitProgress } from './buildkit.js'
import { validateTagRef } from './tags.js'
import { registryConfigHeader } from './credentials.js'
import { errorText, readMessages, type Transport } from './transport.js'
import type { BuildOptions, EngineInfo } from './engine.js'

/** A build that failed, with the engine's own error kept apart from the step output that follows it. */
export class BuildError extends Error {
  constructor(
    message: string,
    /** The engine's error text (the HTTP answer, or the stream's error message), without step output. */
    readonly engineMessage: string,
    /** True when a Dockerfile step ran and failed: the Dockerfile, not the builder, is at fault. */
    readonly stepFailed: boolean
  ) {
    super(message)
    this.name = 'BuildError'
  }
}

const UPLOADED_CONTEXT_BUG = /failed to read downloaded context|build-context-[a-z0-9]+.*no such host/i
const BUILDKIT_REFUSED =
  /buildkit.*not (supported|enabled|available)|not supported.*buildkit|unsupported builder version|invalid (builder )?version/i

/**
 * Why BuildKit could not build at all, when that is what happened: the reason `auto` gives for rebuilding with
 * the classic builder. Undefined for every other failure, a failing step above all.
 */
export function buildkitUnusable(err: unknown): string | undefined {
  if (!(err instanceof BuildError) || err.stepFailed) return undefined
  if (UPLOADED_CONTEXT_BUG.test(err.engineMessage)) {
    return (
      "this engine's BuildKit cannot read an uploaded build context (a defect of Docker 25 to 27.4 with the " +
      'containerd image store, fixed in 27.5; moby/moby#47717); building with the classic builder. Upgrade ' +
      'Docker to 27.5 or later to build with BuildKit'
    )
  }
  if (BUILDKIT_REFUSED.test(err.engineMessage)) {
    return `the engine refused a BuildKit build (${err.engineMessage}); building with the classic builder`
  }
  return undefined
}

/**
 * The classic builder looks for a cached step by listing every image built on the step's parent and then
 * reading each one; an image removed in between (by another build or job on the same engine) fails the build
 * with `unable to find image "sha256:…"` before the step runs (moby's image/cache). Nothing of the Dockerfile
 * is at fault, so the build is run once more. Undefined for every other failure.
 */
export function classicCacheRace(err: unknown): string | undefined {
  if (!(err instanceof BuildError)) return undefined
  if (!/^unable to find image "?sha256:[0-9a-f]{64}"?$/.test(err.engineMessage.trim())) return undefined
  return (
    "the engine's build cache lost track of an image that was removed while this build looked it up " +
    `(${err.engineMessage.trim()}); building once more`
  )
}

/** Builds with BuildKit when `auto`/`buildkit` and the engine has it, falling back only as described above. */
export async function buildImage(
  t: Transport,
  info: EngineInfo,
  opts: BuildOptions,
  onLine: (line: string) => void
): Promise<{ imageId: string }> {
  for (const tag of opts.tags) validateTagRef(tag)
  if (opts.builder === 'buildkit' && !info.buildkit) {
    throw new Error(
      `BuildKit is not available on this Docker engine (${info.serverVersion}, API ${info.apiVersion}); ` +
        'set builder to classic or auto'
    )
  }
  const useBuildkit = opts.builder !== 'classic' && info.buildkit
  const build = (buildkit: boolean) => (): Promise<{ imageId: string }> =>
    // A classic build that lost the engine's cache race runs once more.
    orOnceMore(
      () => runBuild(t, opts, onLine, buildkit),
      buildkit ? () => undefined : classicCacheRace,
      onLine
    )
  return orOnceMore(
    build(useBuildkit),
    (e) => (useBuildkit && opts.builder === 'auto' ? buildkitUnusable(e) : undefined),
    onLine,
    build(false)
  )
}

/** Runs `first`; when `why` gives a reason for its failure, says it and runs `again` (by default `first`). */
async function orOnceMore<T>(
  first: () => Promise<T>,
  why: (err: unknown) => string | undefined,
  onLine: (line: string) => void,
  again = first
): Promise<T> {
  try {
    return await first()
  } catch (e) {
    const reason = why(e)
    if (!reason) throw e
    onLine(reason)
    return again()
  }
}

async function runBuild(
  t: Transport,
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
  const headers: Record<string, string> = { 'Content-Type': 'application/x-tar' }
  const registryConfig = registryConfigHeader(opts.credentials ?? [])
  if (registryConfig) headers['X-Registry-Config'] = registryConfig

  let res: IncomingMessage
  try {
    res = await t.dialStream({
      path: '/build?',
      method: 'POST',
      options: { _query: query },
      file: stream,
      headers,
      statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' }
    })
  } catch (e) {
    // The request failed before the engine read the whole context: nothing else will read the tar.
    ;(stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.()
    const msg = (e as Error).message
    throw new BuildError(`the build failed: ${msg}`, msg, false)
  }

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
  try {
    await readMessages(
      res,
      (m) => {
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
      },
      { ms: t.timeouts.buildIdleMs, what: 'the build' }
    )
  } finally {
    ;(stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.()
  }
  if (partial) classicLine(partial)

  if (error !== undefined) {
    if (buildkit) {
      const f = progress.failure()
      if (f) {
        const out = f.logs.length ? `\n${f.logs.join('\n')}` : ''
        // `[internal] load build context` and the like are the builder's own steps, not the Dockerfile's.
        const dockerfileStep = !/^\[internal\]/.test(f.step)
        throw new BuildError(`the build failed at ${f.step}: ${error}${out}`, error, dockerfileStep)
      }
      throw new BuildError(`the build failed: ${error}`, error, false)
    }
    const out = stepOutput
      .filter((l) => l.trim() !== '' && !/^ ---> |^Removing intermediate container /.test(l))
      .slice(-30)
    throw new BuildError(
      `the build failed${lastStep ? ` at ${lastStep}` : ''}: ${error}${out.length ? `\n${out.join('\n')}` : ''}`,
      error,
      lastStep !== undefined
    )
  }
  // Never look the image up by tag: on a persistent runner the tag may still name an older image.
  if (!imageId) throw new BuildError('the build finished but the engine reported no image ID', '', false)
  return { imageId }
}
