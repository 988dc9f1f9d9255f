/**
 * Hand-made image archives: the legacy `docker save` layout and the OCI layout with gzip and zstd layers,
 * each also loaded into the real engine with `docker load` to prove it is an archive the engine accepts, and
 * the engine's own view of whiteouts compared with the scan's.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { PassThrough } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { docker, uniqueName } from '../../helpers/testenv.js'
import { makeTar, removeImages, scanBuffer, scanImage, type TarEntry } from '../helpers.js'
import { scanImageStream } from '../../../src/scan/index.js'
import type { ScanResult } from '../../../src/scan/types.js'

const made: string[] = []
afterAll(() => removeImages(...made))

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
const AWS_KEY_ID = 'AKIA' + randomBytes(8).toString('hex').toUpperCase()

const APK_V1 = [
  'C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\n',
  'C:Q1def=\nP:libssl3\nV:3.1.4-r2\nA:x86_64\no:openssl\n',
  'C:Q1ghi=\nP:libcrypto3\nV:3.1.4-r2\nA:x86_64\no:openssl\n'
]

/** Three layers: the base; one that deletes a file and makes a directory opaque; one that adds a package. */
async function layers(): Promise<Buffer[]> {
  const base: TarEntry[] = [
    { name: 'etc/', type: 'directory' },
    {
      name: 'etc/os-release',
      data: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n'
    },
    { name: 'etc/alpine-release', data: '3.19.1\n' },
    { name: 'lib/apk/db/installed', data: APK_V1.join('\n') },
    { name: 'app/old.txt', data: `aws_access_key_id = ${AWS_KEY_ID}\n` },
    { name: 'opt/dir/node_modules/a/package.json', data: '{"name":"a","version":"1.0.0"}' },
    { name: 'opt/keep/node_modules/k/package.json', data: '{"name":"k","version":"2.0.0"}' }
  ]
  const second: TarEntry[] = [
    { name: 'app/.wh.old.txt' },
    { name: 'opt/dir/.wh..wh..opq' },
    { name: 'opt/dir/node_modules/b/package.json', data: '{"name":"b","version":"1.0.0"}' },
    // libssl3 removed.
    { name: 'lib/apk/db/installed', data: [APK_V1[0], APK_V1[2]].join('\n') }
  ]
  const third: TarEntry[] = [
    {
      name: 'lib/apk/db/installed',
      data: [APK_V1[0], APK_V1[2], 'C:Q1jkl=\nP:zlib\nV:1.3.1-r0\nA:x86_64\no:zlib\n'].join('\n')
    }
  ]
  return [await makeTar(base), await makeTar(second), await makeTar(third)]
}

function configFor(tars: Buffer[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { User: 'nobody', Env: ['PATH=/bin'] },
      rootfs: { type: 'layers', diff_ids: tars.map((t) => `sha256:${sha(t)}`) },
      history: [
        { created_by: 'ADD rootfs.tar / # buildkit' },
        { created_by: 'ENV A=1', empty_layer: true },
        { created_by: 'RUN /bin/sh -c rm /app/old.txt # buildkit' },
        { created_by: 'RUN /bin/sh -c apk add zlib # buildkit' }
      ]
    })
  )
}

/** The legacy layout, with the layers written before manifest.json and the config, as `docker save` does. */
async function legacyArchive(tag: string): Promise<Buffer> {
  const tars = await layers()
  const config = configFor(tars)
  const entries: TarEntry[] = []
  const paths: string[] = []
  for (const t of tars) {
    const id = sha(Buffer.concat([t, Buffer.from(tag)]))
    entries.push(
      { name: `${id}/`, type: 'directory' },
      { name: `${id}/VERSION`, data: '1.0' },
      { name: `${id}/json`, data: '{}' }
    )
    entries.push({ name: `${id}/layer.tar`, data: t })
    paths.push(`${id}/layer.tar`)
  }
  entries.push({ name: `${sha(config)}.json`, data: config })
  entries.push({
    name: 'manifest.json',
    data: JSON.stringify([{ Config: `${sha(config)}.json`, RepoTags: [tag], Layers: paths }])
  })
  return makeTar(entries)
}

/**
 * The OCI layout (index.json, blobs/sha256), gzip and zstd layers; with a manifest.json beside it unless told.
 * `multiPlatform` puts an image index in between, as the containerd image store does: it lists a platform
 * whose manifest is not in the archive and an attestation manifest before the one that is.
 */
async function ociArchive(tag: string, withManifestJson = true, multiPlatform = false): Promise<Buffer> {
  const tars = await layers()
  const blobs = [
    { data: tars[0], mediaType: 'application/vnd.oci.image.layer.v1.tar' },
    { data: gzipSync(tars[1]), mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' },
    {
      data: execFileSync('zstd', ['-q', '-c', '-3'], { input: tars[2] }),
      mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd'
    }
  ]
  const config = configFor(tars)
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: `sha256:${sha(config)}`,
        size: config.length
      },
      layers: blobs.map((b) => ({
        mediaType: b.mediaType,
        digest: `sha256:${sha(b.data)}`,
        size: b.data.length
      }))
    })
  )
  const manifestDesc = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${sha(manifest)}`,
    size: manifest.length,
    platform: { architecture: 'amd64', os: 'linux' }
  }
  const attestation = Buffer.from(JSON.stringify({ schemaVersion: 2, layers: [] }))
  const inner = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          ...manifestDesc,
          digest: `sha256:${'e'.repeat(64)}`,
          platform: { architecture: 'arm64', os: 'linux' }
        },
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${sha(attestation)}`,
          size: attestation.length,
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest' }
        },
        manifestDesc
      ]
    })
  )
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      multiPlatform
        ? {
            mediaType: 'application/vnd.oci.image.index.v1+json',
            digest: `sha256:${sha(inner)}`,
            size: inner.length
          }
        : { ...manifestDesc, annotations: { 'io.containerd.image.name': `docker.io/library/${tag}` } }
    ]
  }
  const entries: TarEntry[] = [
    { name: 'blobs/', type: 'directory' },
    { name: 'blobs/sha256/', type: 'directory' }
  ]
  // Layers first: the reader must not depend on seeing the manifest before them.
  for (const b of blobs) entries.push({ name: `blobs/sha256/${sha(b.data)}`, data: b.data })
  entries.push({ name: `blobs/sha256/${sha(config)}`, data: config })
  entries.push({ name: `blobs/sha256/${sha(manifest)}`, data: manifest })
  if (multiPlatform) {
    entries.push({ name: `blobs/sha256/${sha(inner)}`, data: inner })
    entries.push({ name: `blobs/sha256/${sha(attestation)}`, data: attestation })
  }
  entries.push({ name: 'index.json', data: JSON.stringify(index) })
  entries.push({ name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' })
  if (withManifestJson) {
    entries.push({
      name: 'manifest.json',
      data: JSON.stringify([
        {
          Config: `blobs/sha256/${sha(config)}`,
          RepoTags: [tag],
          Layers: blobs.map((b) => `blobs/sha256/${sha(b.data)}`)
        }
      ])
    })
  }
  return makeTar(entries)
}

function expectScan(r: ScanResult): void {
  expect(r.inventory.os).toMatchObject({ id: 'alpine', versionId: '3.19.1', ecosystem: 'Alpine:v3.19' })
  const pkgs = r.inventory.packages.map(
    (p) =>
      `${p.type} ${p.name} ${p.version} ${p.source ?? ''} L${r.inventory.layers.findIndex((l) => l.digest === p.layer?.digest)}`
  )
  // libssl3 was removed by layer 1; zlib came with layer 2; musl and libcrypto3 have been there since layer 0.
  // Opaque opt/dir hides `a` from layer 0; `b` is layer 1's own; opt/keep is untouched.
  expect(pkgs).toEqual([
    'apk libcrypto3 3.1.4-r2 openssl L0',
    'apk musl 1.2.4_git20230717-r4 musl L0',
    'apk zlib 1.3.1-r0 zlib L2',
    'npm b 1.0.0  L1',
    'npm k 2.0.0  L0'
  ])
  const musl = r.inventory.packages.find((p) => p.name === 'musl')!
  expect(musl.purl).toBe('pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1')
  const secrets = r.findings.filter((f) => f.category === 'secret')
  expect(secrets).toHaveLength(1)
  expect(secrets[0]).toMatchObject({ ruleId: 'SI5002', imagePath: '/app/old.txt', severity: 'critical' })
  expect(secrets[0].message).toContain('though deleted later')
  expect(JSON.stringify(r)).not.toContain(AWS_KEY_ID)
  expect(r.findings.some((f) => f.ruleId === 'SI3001')).toBe(false)
  expect(r.inventory.layers.map((l) => l.createdBy)).toEqual([
    'ADD rootfs.tar / # buildkit',
    'RUN /bin/sh -c rm /app/old.txt # buildkit',
    'RUN /bin/sh -c apk add zlib # buildkit'
  ])
}

/** The files the engine itself shows in a container of the image. */
function engineFiles(image: string): string[] {
  const id = docker(['create', image, 'true']).trim()
  try {
    const listing = execFileSync('sh', ['-c', `docker export ${id} | tar -t`], { encoding: 'utf8' })
    return listing.split('\n').filter(Boolean)
  } finally {
    docker(['rm', id])
  }
}

describe('hand-made archives', () => {
  it('reads the legacy layout, and the engine loads it and agrees on the whiteouts', async () => {
    const tag = `${uniqueName('si-legacy')}:t`
    const archive = await legacyArchive(tag)
    expectScan(await scanBuffer(archive))
    docker(['load', '-q'], archive)
    made.push(tag)
    const files = engineFiles(tag)
    expect(files).toContain('opt/dir/node_modules/b/package.json')
    expect(files).not.toContain('opt/dir/node_modules/a/package.json')
    expect(files).not.toContain('app/old.txt')
    // The engine re-exports it in its own layout: same result.
    expectScan(await scanImage(tag))
  })

  it('reads the OCI layout with an uncompressed, a gzip and a zstd layer; the engine loads it too', async () => {
    const tag = `${uniqueName('si-oci')}:t`
    const archive = await ociArchive(tag)
    const r = await scanBuffer(archive)
    expectScan(r)
    // Diff IDs come from the config, not from the compressed blob digests.
    const tars = await layers()
    expect(r.inventory.layers.map((l) => l.digest)).toEqual(tars.map((t) => `sha256:${sha(t)}`))
    docker(['load', '-q'], archive)
    made.push(tag)
    expectScan(await scanImage(tag))
  })

  it('reads to the end when the stream ends while the reader waits on a layer', async () => {
    // All of the archive and its end are buffered before reading starts, so the stream ends right after the
    // last chunk is handed over, while a layer's end (or a decompressor) still holds the reader.
    for (const archive of [await legacyArchive('x:y'), await ociArchive('x:y')]) {
      // Two chunks, split at every block: somewhere the second holds a layer's end and what follows it.
      for (let split = 512; split < archive.length; split += 512) {
        const stream = new PassThrough({ highWaterMark: archive.length })
        stream.write(archive.subarray(0, split))
        stream.end(archive.subarray(split))
        expectScan(await scanImageStream(stream))
      }
    }
  })

  it('reads an OCI layout without manifest.json (index.json only)', async () => {
    expectScan(await scanBuffer(await ociArchive('x:y', false)))
  })

  it('picks the platform the archive holds from a multi-platform index, skipping attestations', async () => {
    expectScan(await scanBuffer(await ociArchive('x:y', false, true)))
  })

  it('fails with an actionable message on a stream that is not an image archive, or lacks a layer', async () => {
    await expect(scanBuffer(await makeTar([{ name: 'hello.txt', data: 'hi' }]))).rejects.toThrow(
      /neither manifest\.json nor index\.json/
    )
    const tars = await layers()
    const config = configFor(tars)
    const broken = await makeTar([
      { name: 'c.json', data: config },
      { name: 'manifest.json', data: JSON.stringify([{ Config: 'c.json', Layers: ['l1/layer.tar'] }]) }
    ])
    await expect(scanBuffer(broken)).rejects.toThrow(/lists the layer l1\/layer\.tar but does not contain it/)
    await expect(scanBuffer(randomBytes(4096))).rejects.toThrow(/image archive/)
  })
})
