/**
 * Reads a `docker save` archive (what `GET /images/{name}/get` streams) in one pass: the legacy layout
 * (`manifest.json`, `<id>/layer.tar`, `<id>.json`) and the OCI layout (`index.json`, `blobs/sha256/…`) that
 * Docker 25+ and the containerd image store write. Layers may come before the manifest and config that order
 * them, so each layer is walked as it arrives and its record is kept by its path; the order is resolved at the
 * end. Small JSON documents (manifests, configs) are the only content kept whole.
 */
import { PassThrough, Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import * as tar from 'tar-stream'
import { detectCompression } from './decompress.js'
import { peek, walkLayer } from './layer.js'
import { normalizeEntryPath, resolveLink } from './paths.js'
import { emptyRecord, layerVisitor, type Budget, type LayerRecord } from './record.js'
import type { FileAnalyzer } from '../inventory/types.js'
import type { HistoryEntry } from '../attribution.js'
import { redactHistory } from './history.js'
import type { ImageConfig } from '../types.js'

const MAX_JSON = 16 * 1024 * 1024
/**
 * Bytes read from the engine ahead of the parser. The engine writes the export as fast as it is read; while a
 * layer's end or a large file is handled, it keeps writing into this buffer instead of waiting.
 */
const READ_AHEAD = 4 * 1024 * 1024

export interface ReadOptions {
  analyzers: FileAnalyzer[]
  budget: Budget
  maxLayerBytes: number
  /** The build arguments the image was built with: their values are redacted from the history. */
  buildArgs?: Record<string, string>
}

export interface ImageArchive {
  /** Layer records in image order (lowest first), with their diff IDs. */
  layers: { digest: string; record: LayerRecord }[]
  config: ImageConfig
  history: HistoryEntry[]
  /** `sha256:…` of the config blob when the archive names it. */
  configDigest?: string
  repoTags: string[]
  layout: 'docker' | 'oci'
}

interface ImageConfigJson {
  config?: ImageConfig
  container_config?: ImageConfig
  history?: HistoryEntry[]
  rootfs?: { type?: string; diff_ids?: string[] }
}

interface Descriptor {
  mediaType?: string
  digest?: string
}

function isJsonName(path: string): boolean {
  return (
    path === 'manifest.json' ||
    path === 'index.json' ||
    path === 'repositories' ||
    path === 'oci-layout' ||
    path.endsWith('.json') ||
    path.endsWith('/json')
  )
}

function parseJson<T>(buf: Buffer | undefined, what: string): T {
  if (!buf) throw new Error(`the image archive has no ${what}`)
  try {
    return JSON.parse(buf.toString('utf8')) as T
  } catch (err) {
    throw new Error(`the image archive's ${what} is not valid JSON: ${(err as Error).message}`, {
      cause: err
    })
  }
}

function blobPath(digest: string | undefined): string {
  const m = /^([a-z0-9]+):([a-f0-9]{32,128})$/.exec(digest ?? '')
  if (!m) throw new Error(`the image archive names an invalid digest: ${JSON.stringify(digest)}`)
  return `blobs/${m[1]}/${m[2]}`
}

async function drain(stream: Readable): Promise<void> {
  for await (const chunk of stream) void chunk
}

async function readAll(stream: Readable, max: number, name: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  let len = 0
  for await (const c of stream) {
    len += (c as Buffer).length
    if (len > max) {
      await drain(stream)
      throw new Error(`${name} in the image archive is larger than ${max} bytes`)
    }
    chunks.push(c as Buffer)
  }
  return Buffer.concat(chunks, len)
}

/** Reads the archive stream to its end and returns the image's layers in order with its config. */
export async function readImageArchive(
  stream: NodeJS.ReadableStream,
  options: ReadOptions
): Promise<ImageArchive> {
  const json = new Map<string, Buffer>()
  const records = new Map<string, LayerRecord>()
  // `docker save` writes a layer that appears twice once, and a symlink to it in the other place.
  const links = new Map<string, string>()
  const extract = tar.extract({ highWaterMark: 1024 * 1024 } as Parameters<typeof tar.extract>[0])
  let failure: Error | undefined

  const handle = async (
    name: string,
    type: string | null,
    size: number,
    linkname: string | undefined,
    entry: Readable
  ): Promise<void> => {
    const path = normalizeEntryPath(name)
    if (path && (type === 'symlink' || type === 'link') && linkname) {
      const target = type === 'symlink' ? resolveLink(path, linkname) : normalizeEntryPath(linkname)
      if (target) links.set(path, target)
    }
    if (!path || (type !== 'file' && type !== 'contiguous-file')) return drain(entry)
    if (isJsonName(path) && size <= MAX_JSON) {
      json.set(path, await readAll(entry, MAX_JSON, path))
      return
    }
    const { head, stream: whole } = await peek(entry, 512)
    if (detectCompression(head)) {
      const record = emptyRecord()
      const visitor = layerVisitor(record, options.analyzers, options.budget)
      record.stats = await walkLayer(head, whole, visitor, {
        maxLayerBytes: options.maxLayerBytes,
        name: `the layer ${path}`
      })
      for (const r of record.stats.rejected) {
        options.budget.warnings.add(
          `the layer ${path} has an entry outside the image root (${r}); it was ignored`
        )
      }
      records.set(path, record)
      return
    }
    if (head.length > 0 && head.every((b) => b === 0)) {
      // An empty tar (only end-of-archive blocks), as BuildKit writes for a layer that changed nothing.
      records.set(path, emptyRecord())
      return drain(whole)
    }
    if (head[0] === 0x7b && size <= MAX_JSON) {
      json.set(path, await readAll(whole, MAX_JSON, path))
      return
    }
    return drain(whole)
  }

  extract.on('entry', (header, entry, next) => {
    handle(
      header.name,
      header.type as string | null,
      header.size ?? 0,
      header.linkname || undefined,
      entry as unknown as Readable
    ).then(
      () => next(),
      (err: Error) => {
        failure ??= err
        next(err)
      }
    )
  })
  try {
    const ahead = new PassThrough({ writableHighWaterMark: READ_AHEAD, readableHighWaterMark: 1024 * 1024 })
    await pipeline(stream, ahead, extract as unknown as NodeJS.WritableStream)
  } catch (err) {
    throw (
      failure ?? new Error(`the image archive could not be read: ${(err as Error).message}`, { cause: err })
    )
  }
  if (failure) throw failure
  const follow = (p: string): string => {
    for (let hops = 0; hops < 8 && !records.has(p) && !json.has(p) && links.has(p); hops++) p = links.get(p)!
    return p
  }
  return resolve(json, records, follow, options.buildArgs)
}

function resolve(
  json: Map<string, Buffer>,
  records: Map<string, LayerRecord>,
  follow: (path: string) => string,
  buildArgs: Record<string, string> = {}
): ImageArchive {
  let configPath: string
  let layerPaths: string[]
  let repoTags: string[] = []
  let layout: 'docker' | 'oci'
  let configDigest: string | undefined
  if (json.has('manifest.json')) {
    const manifest = parseJson<{ Config?: string; Layers?: string[]; RepoTags?: string[] | null }[]>(
      json.get('manifest.json'),
      'manifest.json'
    )
    const first = Array.isArray(manifest) ? manifest[0] : undefined
    if (!first?.Config || !Array.isArray(first.Layers)) {
      throw new Error('the image archive has a manifest.json without an image (Config and Layers)')
    }
    configPath = follow(normalizeEntryPath(first.Config) ?? first.Config)
    layerPaths = first.Layers.map((l) => follow(normalizeEntryPath(l) ?? l))
    repoTags = first.RepoTags ?? []
    layout = json.has('index.json') ? 'oci' : 'docker'
    const m =
      /^blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(configPath) ?? /^([a-f0-9]{64})\.json$/.exec(configPath)
    if (m) configDigest = m.length === 3 ? `${m[1]}:${m[2]}` : `sha256:${m[1]}`
  } else if (json.has('index.json')) {
    layout = 'oci'
    let desc: Descriptor | undefined = parseJson<{ manifests?: Descriptor[] }>(
      json.get('index.json'),
      'index.json'
    ).manifests?.[0]
    let manifest: { config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] } | undefined
    for (let depth = 0; depth < 4 && desc; depth++) {
      manifest = parseJson(json.get(blobPath(desc.digest)), `blob ${desc.digest}`)
      if (!manifest?.manifests) break
      // A multi-platform index: the platform whose manifest the archive holds, never an attestation.
      const usable = manifest.manifests.filter(
        (d) => json.has(blobPath(d.digest)) && !/attestation/.test(JSON.stringify(d))
      )
      desc = usable[0] ?? manifest.manifests[0]
    }
    if (!manifest?.config || !Array.isArray(manifest.layers)) {
      throw new Error('the image archive has an index.json that leads to no image manifest')
    }
    configDigest = manifest.config.digest
    configPath = blobPath(manifest.config.digest)
    layerPaths = manifest.layers.map((l) => blobPath(l.digest))
  } else {
    throw new Error('the stream is not a docker save archive: it has neither manifest.json nor index.json')
  }
  const config = parseJson<ImageConfigJson>(json.get(configPath), `image config ${configPath}`)
  const diffIds = config.rootfs?.diff_ids ?? []
  const layers = layerPaths.map((p, i) => {
    const record = records.get(p)
    if (!record) throw new Error(`the image archive lists the layer ${p} but does not contain it`)
    const digest =
      diffIds[i] ?? (/^blobs\/(\w+)\/([a-f0-9]+)$/.exec(p) ? p.replace(/^blobs\/(\w+)\//, '$1:') : p)
    return { digest, record }
  })
  const out: ImageArchive = {
    layers,
    config: config.config ?? config.container_config ?? {},
    // The one place the history is read: build-argument values never get past it.
    history: redactHistory(config.history ?? [], buildArgs),
    repoTags,
    layout
  }
  if (configDigest) out.configDigest = configDigest
  return out
}
