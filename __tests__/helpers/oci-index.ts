/**
 * Pushes a multi-platform image to the test registry through the registry API, the way BuildKit's and
 * buildx's registry exporters write one: an OCI image index with a linux/amd64 and a linux/arm64 manifest, and
 * an attestation manifest (`unknown/unknown`, `vnd.docker.reference.type: attestation-manifest`) that points at
 * the amd64 manifest; gzip-compressed layers; configs with the diff IDs (uncompressed digests) and history.
 */
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import type { TestEnv } from './testenv.js'

export interface PlatformImage {
  architecture: 'amd64' | 'arm64'
  /** Uncompressed layer tars, base first. */
  layers: Buffer[]
  /** One `created_by` per layer. */
  createdBy: string[]
  env?: string[]
  cmd?: string[]
}

export interface PushedIndex {
  ref: string
  indexDigest: string
  manifests: Record<string, string>
  /** Diff IDs per architecture: what `RootFS.Layers` of the pulled image must be. */
  diffIds: Record<string, string[]>
  /** Puts the same index under another tag. */
  tag(name: string): Promise<string>
}

const sha256 = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`

function authHeader(env: TestEnv): string {
  return 'Basic ' + Buffer.from(`${env.username}:${env.password}`).toString('base64')
}

async function pushBlob(env: TestEnv, repo: string, data: Buffer): Promise<string> {
  const digest = sha256(data)
  const start = await fetch(`http://${env.registry}/v2/${repo}/blobs/uploads/`, {
    method: 'POST',
    headers: { Authorization: authHeader(env) }
  })
  if (start.status !== 202) throw new Error(`starting a blob upload: HTTP ${start.status}`)
  const location = new URL(start.headers.get('location') ?? '', `http://${env.registry}`)
  location.searchParams.set('digest', digest)
  const put = await fetch(location, {
    method: 'PUT',
    headers: {
      Authorization: authHeader(env),
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(data.length)
    },
    body: data
  })
  if (put.status !== 201) throw new Error(`uploading blob ${digest}: HTTP ${put.status} ${await put.text()}`)
  return digest
}

async function pushManifest(
  env: TestEnv,
  repo: string,
  reference: string,
  mediaType: string,
  body: string
): Promise<string> {
  const res = await fetch(`http://${env.registry}/v2/${repo}/manifests/${reference}`, {
    method: 'PUT',
    headers: { Authorization: authHeader(env), 'Content-Type': mediaType },
    body
  })
  if (res.status !== 201)
    throw new Error(`putting manifest ${reference}: HTTP ${res.status} ${await res.text()}`)
  const digest = res.headers.get('docker-content-digest') ?? ''
  if (digest !== sha256(body)) throw new Error(`the registry answered digest ${digest} for ${sha256(body)}`)
  return digest
}

async function pushPlatform(
  env: TestEnv,
  repo: string,
  img: PlatformImage
): Promise<{ digest: string; size: number; diffIds: string[] }> {
  const diffIds = img.layers.map((l) => sha256(l))
  const layers = []
  for (const l of img.layers) {
    const gz = gzipSync(l)
    layers.push({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: await pushBlob(env, repo, gz),
      size: gz.length
    })
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: img.architecture,
      os: 'linux',
      created: '2026-01-01T00:00:00Z',
      config: { Env: img.env ?? ['PATH=/bin'], Cmd: img.cmd ?? ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: img.createdBy.map((c) => ({ created: '2026-01-01T00:00:00Z', created_by: c }))
    })
  )
  const configDigest = await pushBlob(env, repo, config)
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: configDigest,
      size: config.length
    },
    layers
  })
  const digest = await pushManifest(
    env,
    repo,
    sha256(manifest),
    'application/vnd.oci.image.manifest.v1+json',
    manifest
  )
  return { digest, size: Buffer.byteLength(manifest), diffIds }
}

/** Pushes `repo:tag` as a multi-platform index with an attestation manifest. */
export async function pushMultiPlatformIndex(
  env: TestEnv,
  repo: string,
  tag: string,
  platforms: PlatformImage[]
): Promise<PushedIndex> {
  const entries = []
  const manifests: Record<string, string> = {}
  const diffIds: Record<string, string[]> = {}
  for (const p of platforms) {
    const m = await pushPlatform(env, repo, p)
    manifests[p.architecture] = m.digest
    diffIds[p.architecture] = m.diffIds
    entries.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: m.digest,
      size: m.size,
      platform: { architecture: p.architecture, os: 'linux' }
    })
  }
  // The attestation manifest BuildKit attaches: an in-toto layer, for the first platform.
  const statement = Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://spdx.dev/Document',
      subject: [
        { name: `${repo}:${tag}`, digest: { sha256: manifests[platforms[0].architecture].slice(7) } }
      ],
      predicate: { spdxVersion: 'SPDX-2.3' }
    })
  )
  const emptyConfig = Buffer.from('{}')
  const attManifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: await pushBlob(env, repo, emptyConfig),
      size: emptyConfig.length
    },
    layers: [
      {
        mediaType: 'application/vnd.in-toto+json',
        digest: await pushBlob(env, repo, statement),
        size: statement.length,
        annotations: { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' }
      }
    ]
  })
  const attDigest = await pushManifest(
    env,
    repo,
    sha256(attManifest),
    'application/vnd.oci.image.manifest.v1+json',
    attManifest
  )
  entries.push({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: attDigest,
    size: Buffer.byteLength(attManifest),
    annotations: {
      'vnd.docker.reference.digest': manifests[platforms[0].architecture],
      'vnd.docker.reference.type': 'attestation-manifest'
    },
    platform: { architecture: 'unknown', os: 'unknown' }
  })
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: entries
  })
  const indexDigest = await pushManifest(env, repo, tag, 'application/vnd.oci.image.index.v1+json', index)
  return {
    ref: `${env.registry}/${repo}:${tag}`,
    indexDigest,
    manifests,
    diffIds,
    tag: async (name) => {
      await pushManifest(env, repo, name, 'application/vnd.oci.image.index.v1+json', index)
      return `${env.registry}/${repo}:${name}`
    }
  }
}
