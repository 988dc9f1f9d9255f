/**
 * A base image as users' runners get it: pulled from a registry that needs auth, as a multi-platform index
 * (linux/amd64, linux/arm64 and a BuildKit attestation manifest), with gzip layers. On both image stores and
 * with both builders (the action's own labels on, as the pipeline sets them), the provenance check, the
 * inventory, the layer→line attribution and the secret scan give the same answers. The Debian package database
 * in the base is the one dpkg wrote in debian:bookworm, and `dpkg-query -W` there is the oracle.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine } from '../../src/docker/engine.js'
import { headManifestDigest } from '../../src/docker/registry.js'
import { parseDockerfile } from '../../src/dockerfile/parse.js'
import { checkProvenance, namesToVerify } from '../../src/policy/provenance.js'
import { scanImageStream } from '../../src/scan/index.js'
import { docker, imageStore, testEnv, uniqueName, untag } from '../helpers/testenv.js'
import { buildOptions } from '../helpers/build.js'
import { pushMultiPlatformIndex, type PushedIndex } from '../helpers/oci-index.js'
import { makeTar } from './helpers.js'

const env = testEnv()
const auth = { registry: env.registry, username: env.username, password: env.password }
const engine = createEngine()
const made: string[] = []
let base: PushedIndex
let dpkgOracle: string[]

const KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomBytes(300).toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`

beforeAll(async () => {
  const busybox = await makeTar([
    { name: 'bin/', type: 'directory' },
    {
      name: 'bin/busybox',
      data: readFileSync('/bin/busybox'),
      mode: 0o755
    },
    { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
    { name: 'bin/echo', type: 'symlink', linkname: 'busybox' },
    { name: 'bin/rm', type: 'symlink', linkname: 'busybox' },
    { name: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/home/app:/bin/sh\n' },
    { name: 'tmp/', type: 'directory', mode: 0o1777 }
  ])
  const status = docker(['run', '--rm', 'debian:bookworm', 'cat', '/var/lib/dpkg/status'])
  const osRelease = docker(['run', '--rm', 'debian:bookworm', 'cat', '/usr/lib/os-release'])
  dpkgOracle = docker(['run', '--rm', 'debian:bookworm', 'dpkg-query', '-W', '-f', '${Package} ${Version}\n'])
    .trim()
    .split('\n')
    .sort()
  const debian = await makeTar([
    { name: 'etc/os-release', data: osRelease },
    { name: 'var/lib/dpkg/status', data: status }
  ])
  const arm = await makeTar([{ name: 'arch', data: 'arm64\n' }])
  base = await pushMultiPlatformIndex(env, `si-test/${uniqueName('mp-base')}`, '1', [
    {
      architecture: 'amd64',
      layers: [busybox, debian],
      createdBy: ['ADD rootfs / # buildkit', 'COPY dpkg / # buildkit']
    },
    {
      architecture: 'arm64',
      layers: [arm, debian],
      createdBy: ['ADD rootfs / # buildkit', 'COPY dpkg / # buildkit']
    }
  ])
  made.push(base.ref)
  // The engine has no credentials of its own for the registry: the pull must send them.
  await engine.pullImage(base.ref, () => {}, { credentials: [auth] })
})

afterAll(async () => {
  untag(...made)
})

function context(dockerfile: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'si-mp-'))
  mkdirSync(join(dir, 'keys'))
  writeFileSync(join(dir, 'keys', 'id_rsa'), KEY)
  writeFileSync(join(dir, 'Dockerfile'), dockerfile)
  return dir
}

async function exported(ref: string, dockerfile: string) {
  return scanImageStream(await engine.exportImage(ref), { model: parseDockerfile(dockerfile, 'Dockerfile') })
}

describe('a multi-platform base pulled from a registry with auth', () => {
  it('is pulled with the credentials given, and the engine holds the registry’s own digest for it', async () => {
    const inspected = await engine.inspectImage(base.ref)
    expect(inspected?.RootFS.Layers).toEqual(base.diffIds.amd64)
    expect(await headManifestDigest(base.ref, auth)).toBe(base.indexDigest)
    // Without credentials a pull of the same index under another tag is refused by the registry.
    const other = await base.tag('2')
    made.push(other)
    const anonymous = await engine.pullImage(other).then(
      () => undefined,
      (e: Error) => e
    )
    expect(anonymous?.message).toMatch(/401|unauthorized|authentication required|no basic auth/i)
  })

  for (const builder of ['buildkit', 'classic'] as const) {
    it(`built with ${builder} and the action's labels: same provenance, inventory, attribution and secrets`, async () => {
      const dockerfile = `FROM ${base.ref}\nRUN echo built > /built\nCOPY keys/id_rsa /home/app/.ssh/id_rsa\nRUN rm /home/app/.ssh/id_rsa\nUSER 10001\n`
      const tag = `${uniqueName('si-mp-app')}:${builder}`
      made.push(tag)
      const { imageId } = await engine.build(
        buildOptions(context(dockerfile), tag, {
          builder,
          labels: { 'org.opencontainers.image.title': 'app', 'org.opencontainers.image.revision': 'f00d' },
          credentials: [auth]
        }),
        () => {}
      )
      const built = await engine.inspectImage(imageId)
      expect(built?.Config.Labels?.['org.opencontainers.image.title']).toBe('app')

      // Provenance: the base's chain is a prefix of the built image's, and the base's one name is allowed.
      const b = (await engine.inspectImage(base.ref))!
      const info = { id: b.Id, repoTags: b.RepoTags, repoDigests: b.RepoDigests, layers: b.RootFS.Layers }
      expect(namesToVerify(info, [env.registry])).toEqual([])
      expect(
        checkProvenance({
          built: { layers: built?.RootFS.Layers ?? [] },
          base: info,
          expected: base.ref,
          line: 1,
          path: 'Dockerfile',
          allowedRegistries: [env.registry],
          store: imageStore()
        })
      ).toEqual([])
      expect(built?.RootFS.Layers.slice(0, 2)).toEqual(base.diffIds.amd64)

      const r = await exported(imageId, dockerfile)
      // Inventory: what dpkg lists in debian:bookworm, on Debian 12.
      expect(r.inventory.os?.ecosystem).toBe('Debian:12')
      expect(r.inventory.packages.map((p) => `${p.name} ${p.version}`).sort()).toEqual(dpkgOracle)
      // Attribution: the base's two layers at FROM, inherited; then RUN (2), COPY (3), RUN (4).
      const lines = r.inventory.layers.map(
        (l) => `${l.inherited ? 'inherited@' : ''}${l.location?.startLine}`
      )
      expect(lines).toEqual(['inherited@1', 'inherited@1', '2', '3', '4'])
      expect(r.inventory.packages.every((p) => p.location?.startLine === 1)).toBe(true)
      // The key is found in the COPY layer although a later RUN deleted it, and its text is never printed.
      const secret = r.findings.find(
        (f) => f.category === 'secret' && f.imagePath === '/home/app/.ssh/id_rsa'
      )
      expect(secret?.location?.startLine).toBe(3)
      expect(JSON.stringify(r.findings)).not.toContain(KEY.split('\n')[1].slice(0, 40))
    })
  }

  it('with platform linux/arm64: the pre-pull, the build and the provenance check all use arm64', async () => {
    const platform = 'linux/arm64'
    await engine.pullImage(base.ref, () => {}, { platform, credentials: [auth] })
    const b = (await engine.inspectImage(base.ref, { platform }))!
    expect(b.Architecture).toBe('arm64')
    expect(b.RootFS.Layers).toEqual(base.diffIds.arm64)
    const info = { id: b.Id, repoTags: b.RepoTags, repoDigests: b.RepoDigests, layers: b.RootFS.Layers }
    // No RUN: an arm64 step would need binfmt emulation, which the provenance question does not depend on.
    const dockerfile = `FROM ${base.ref}\nCOPY keys/id_rsa /k\n`
    for (const builder of ['buildkit', 'classic'] as const) {
      const tag = `${uniqueName('si-mp-arm')}:${builder}`
      made.push(tag)
      const { imageId } = await engine.build(
        buildOptions(context(dockerfile), tag, { builder, platform, credentials: [auth] }),
        () => {}
      )
      const built = (await engine.inspectImage(imageId))!
      expect(built.Architecture).toBe('arm64')
      expect(built.RootFS.Layers.slice(0, 2)).toEqual(base.diffIds.arm64)
      expect(
        checkProvenance({
          built: { layers: built.RootFS.Layers },
          base: info,
          expected: base.ref,
          line: 1,
          path: 'Dockerfile',
          allowedRegistries: [env.registry],
          store: imageStore()
        })
      ).toEqual([])
      // The host platform's base is not what this image sits on: the check must see the difference.
      const amd = { ...info, layers: base.diffIds.amd64 }
      expect(
        checkProvenance({
          built: { layers: built.RootFS.Layers },
          base: amd,
          expected: base.ref,
          line: 1,
          path: 'Dockerfile',
          allowedRegistries: [env.registry]
        })
      ).toHaveLength(1)
    }
  })
})
