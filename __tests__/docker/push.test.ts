/**
 * Push against real registries with basic auth: the testEnv() registry, and one of our own on another loopback
 * port that is stopped in the middle of a push.
 */
import { describe, it, expect, afterAll, beforeAll } from '@jest/globals'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine } from '../../src/docker/engine.js'
import { testEnv, uniqueName, untag } from '../helpers/testenv.js'
import { buildOptions } from '../helpers/build.js'

const env = testEnv()
const engine = createEngine({ retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 400 } })
const auth = { registry: env.registry, username: env.username, password: env.password }
const images: string[] = []
const dirs: string[] = []
let imageId = ''

const ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json'
].join(', ')

/** The registry's own answer, with curl: [HTTP status, Docker-Content-Digest]. */
function curlHead(registry: string, repo: string, tag: string): [number, string | undefined] {
  const out = execFileSync(
    'curl',
    [
      '-s',
      '-I',
      '-u',
      `${env.username}:${env.password}`,
      '-H',
      `Accept: ${ACCEPT}`,
      `http://${registry}/v2/${repo}/manifests/${tag}`
    ],
    { encoding: 'utf8' }
  )
  const status = Number(/^HTTP\/[\d.]+ (\d+)/.exec(out)?.[1])
  const digest = /^docker-content-digest:\s*(\S+)/im.exec(out)?.[1]
  return [status, digest]
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'si-push-'))
  dirs.push(dir)
  // Unique content, so every run pushes new layers.
  writeFileSync(
    join(dir, 'Dockerfile'),
    `FROM busybox:stable\nRUN echo ${uniqueName('content')} > /stamp\nUSER app\n`
  )
  const tag = `${uniqueName('si-push')}:build`
  images.push(tag)
  imageId = (await engine.build(buildOptions(dir, tag), () => {})).imageId
  images.push(imageId)
})

afterAll(async () => {
  untag(...images)
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('push', () => {
  it('pushes every tag, and the digest is the one the registry holds', async () => {
    const repo = `si-test/${uniqueName('push')}`
    const refs = [`${env.registry}/${repo}:1.0.0`, `${env.registry}/${repo}:latest`]
    images.push(...refs)
    const lines: string[] = []
    const r = await engine.push(imageId, refs, auth, (l) => lines.push(l))
    expect(r.refs).toEqual(refs)
    expect(r.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    for (const tag of ['1.0.0', 'latest']) {
      expect(curlHead(env.registry, repo, tag)).toEqual([200, r.digest])
      expect(r.digests[`${env.registry}/${repo}:${tag}`]).toBe(r.digest)
    }
    // The engine recorded the same digest for the image it pushed.
    expect((await engine.inspectImage(imageId))?.RepoDigests).toContain(`${env.registry}/${repo}@${r.digest}`)
    expect(lines).toContain(`pushed ${refs[0]} ${r.digest}`)
    expect(lines.join('\n')).not.toContain(env.password)
  })

  it('fails at once on a wrong password, names the registry message, pushes nothing and never shows the password', async () => {
    const repo = `si-test/${uniqueName('wrongpw')}`
    const ref = `${env.registry}/${repo}:1`
    images.push(ref)
    const secret = 'Wr0ng-Pa55word-xyz'
    const lines: string[] = []
    const t = Date.now()
    const err = await engine
      .push(imageId, [ref], { ...auth, password: secret }, (l) => lines.push(l))
      .then(
        () => undefined,
        (e: Error) => e
      )
    expect(err?.message).toMatch(
      // The graph-driver store passes the registry's message on; the containerd store names the 401 it got.
      /^pushing 127\.0\.0\.1:\d+\/si-test\/wrongpw-[^ ]+:1 failed: (unauthorized: authentication required|.*401 Unauthorized)/
    )
    expect(err?.message).not.toContain(secret)
    expect(lines.join('\n')).not.toContain(secret)
    expect(lines.join('\n')).not.toMatch(/retrying/)
    expect(Date.now() - t).toBeLessThan(15000)
    expect(curlHead(env.registry, repo, '1')[0]).toBe(404)
  })

  it('refuses credentials for another registry and an image the engine does not have', async () => {
    await expect(engine.push(imageId, ['ghcr.io/o/app:1'], auth)).rejects.toThrow(
      /the tag ghcr.io\/o\/app:1 is for the registry ghcr.io, but the credentials are for 127\.0\.0\.1:\d+/
    )
    await expect(engine.push(`sha256:${'0'.repeat(64)}`, [`${env.registry}/x/y:1`], auth)).rejects.toThrow(
      /no such image/
    )
    await expect(engine.push(imageId, [], auth)).rejects.toThrow(/no tags/)
  })
})

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
    s.on('error', reject)
  })
}

describe('a registry that stops in the middle of a push', () => {
  let reg: ChildProcess | undefined
  afterAll(() => {
    if (reg && reg.exitCode === null) reg.kill('SIGKILL')
  })

  it('retries a bounded number of times, then fails clearly and claims nothing', async () => {
    const port = await freePort()
    const dir = mkdtempSync(join(tmpdir(), 'si-reg-'))
    dirs.push(dir)
    const cfg = join(dir, 'config.yml')
    const htpasswd = join(process.env.SI_STATE_DIR ?? '/var/lib/secure-image-test', 'htpasswd')
    writeFileSync(
      cfg,
      `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\nauth:\n  htpasswd:\n    realm: test\n    path: ${htpasswd}\n`
    )
    reg = spawn('docker-registry', ['serve', cfg], { stdio: 'ignore' })
    const registry = `127.0.0.1:${port}`
    for (let i = 0; i < 60; i++) {
      const code = await fetch(`http://${registry}/v2/`).then(
        (r) => r.status,
        () => 0
      )
      if (code === 401) break
      await new Promise((r) => setTimeout(r, 250))
    }
    const refs = [`${registry}/si/app:first`, `${registry}/si/app:second`]
    images.push(...refs)
    const lines: string[] = []
    const started = Date.now()
    const err = await engine
      .push(imageId, refs, { ...auth, registry }, (l) => {
        lines.push(l)
        // The first tag is in: stop the registry before the second one.
        if (l.startsWith(`pushed ${refs[0]}`)) reg?.kill('SIGKILL')
      })
      .then(
        (r) => r,
        (e: Error) => e
      )
    const elapsed = Date.now() - started
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toMatch(
      new RegExp(`^pushing ${refs[1].replace(/[.]/g, '\\.')} failed after 3 attempts: .*connection refused`)
    )
    expect(lines.filter((l) => /retrying in 0\.[12]s \([12]\/3\)$/.test(l))).toHaveLength(2)
    expect(lines.some((l) => l.startsWith(`pushed ${refs[1]}`))).toBe(false)
    expect(elapsed).toBeLessThan(30000)
  })
})
