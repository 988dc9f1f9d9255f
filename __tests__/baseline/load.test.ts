/**
 * Reading a baseline from the real test registry: resolved to a digest, pulled by digest (Basic auth) and scanned;
 * refused credentials, a missing tag and a tampered blob leave the run without a baseline, with a reason that
 * never holds the password.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadBaseline, type LoadOptions } from '../../src/baseline/load.js'
import { RegistryClient } from '../../src/baseline/registry.js'
import { createEngine } from '../../src/docker/engine.js'
import { createOfflineSource } from '../../src/scan/osv/index.js'
import { buildOptions } from '../helpers/build.js'
import { registryDigest } from '../helpers/registry.js'
import { testEnv, uniqueName, untag } from '../helpers/testenv.js'

const env = testEnv()
const engine = createEngine()
const auth = { registry: env.registry, username: env.username, password: env.password }
const repo = `e2e/${uniqueName('bl-load')}`
const ref = `${env.registry}/${repo}:v1`
const armRef = `${env.registry}/${repo}:arm`
const basic = 'Basic ' + Buffer.from(`${env.username}:${env.password}`).toString('base64')
const V2 = 'application/vnd.docker.distribution.manifest.v2+json'
// An AWS access key ID: a secret finding proves the pulled image went through the scanner.
const KEY = 'AKIA' + 'Q'.repeat(12) + 'TEST'
let proxy: Server
let proxyUrl = ''

const options = (over: Partial<LoadOptions> = {}): LoadOptions => ({
  auth,
  source: createOfflineSource(join(process.cwd(), '__tests__/fixtures/e2e-osv')),
  ignoreUnfixed: false,
  unknownSeverity: 'medium',
  ...over
})

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'si-bl-load-'))
  writeFileSync(
    join(dir, 'Dockerfile'),
    `FROM busybox:stable\nRUN echo "aws_key=${KEY}" > /etc/leaked.conf\n`
  )
  const { imageId } = await engine.build(buildOptions(dir, ref), () => undefined)
  await engine.push(imageId, [ref], auth)
  // A second image, published as the arm64 half of a multi-platform index (its secret sits elsewhere).
  writeFileSync(join(dir, 'Dockerfile'), `FROM busybox:stable\nRUN echo "aws_key=${KEY}" > /etc/arm.conf\n`)
  const arm = await engine.build(buildOptions(dir, armRef), () => undefined)
  await engine.push(arm.imageId, [armRef], auth)
  const manifests = []
  for (const [tag, architecture] of [
    ['v1', 'amd64'],
    ['arm', 'arm64']
  ]) {
    const res = await fetch(`http://${env.registry}/v2/${repo}/manifests/${tag}`, {
      headers: { Authorization: basic, Accept: V2 }
    })
    const body = Buffer.from(await res.arrayBuffer())
    manifests.push({
      mediaType: V2,
      digest: res.headers.get('docker-content-digest'),
      size: body.length,
      platform: { os: 'linux', architecture }
    })
  }
  const put = await fetch(`http://${env.registry}/v2/${repo}/manifests/multi`, {
    method: 'PUT',
    headers: {
      Authorization: basic,
      'Content-Type': 'application/vnd.docker.distribution.manifest.list.v2+json'
    },
    body: JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      manifests: [manifests[1], manifests[0]]
    })
  })
  if (put.status !== 201)
    throw new Error(`the test index was not accepted: HTTP ${put.status} ${await put.text()}`)
  // A proxy in front of the registry that flips one byte of every blob it serves.
  proxy = createServer((req, res) => {
    void (async () => {
      const upstream = await fetch(`http://${env.registry}${req.url}`, {
        method: req.method,
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => ['authorization', 'accept'].includes(k)) as [
            string,
            string
          ][]
        )
      })
      const body = Buffer.from(await upstream.arrayBuffer())
      if (/\/blobs\/sha256:/.test(req.url ?? '') && body.length > 100) body[body.length - 50] ^= 0xff
      const headers: Record<string, string> = {}
      upstream.headers.forEach((v, k) => {
        if (!['content-length', 'transfer-encoding', 'connection'].includes(k)) headers[k] = v
      })
      res.writeHead(upstream.status, headers)
      res.end(req.method === 'HEAD' ? undefined : body)
    })().catch(() => {
      res.writeHead(502)
      res.end()
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  proxyUrl = `127.0.0.1:${(proxy.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve))
  untag(ref, armRef)
})

describe('loading a baseline from the registry', () => {
  it('resolves the tag to the digest the registry holds, pulls that and scans it', async () => {
    const loaded = await loadBaseline(ref, options())
    expect(loaded.found).toBe(true)
    expect(loaded.digest).toBe(await registryDigest(env, repo, 'v1'))
    expect(loaded.source).toBe('scan')
    const secret = loaded.findings.find((f) => f.category === 'secret')
    expect(secret).toMatchObject({ ruleId: 'SI5002', imagePath: '/etc/leaked.conf' })
  })

  it('lists the tags, and reads a digest reference as it is', async () => {
    const client = RegistryClient.forRef(ref, auth)
    expect((await client.tags()).sort()).toEqual(['arm', 'multi', 'v1'])
    const digest = await client.digestOf('v1')
    const loaded = await loadBaseline(`${env.registry}/${repo}@${digest}`, options())
    expect(loaded).toMatchObject({ found: true, digest })
  })

  it('narrows a multi-platform index to the platform asked for', async () => {
    const secretPath = async (platform: string) =>
      (await loadBaseline(`${env.registry}/${repo}:multi`, options({ platform }))).findings.find(
        (f) => f.category === 'secret'
      )?.imagePath
    expect(await secretPath('linux/amd64')).toBe('/etc/leaked.conf')
    expect(await secretPath('linux/arm64')).toBe('/etc/arm.conf')
    // an index has its own digest: the baseline is the index
    const loaded = await loadBaseline(`${env.registry}/${repo}:multi`, options())
    expect(loaded.digest).toBe(await registryDigest(env, repo, 'multi'))
  })

  it('a tag that was never pushed: no baseline, saying so', async () => {
    const loaded = await loadBaseline(`${env.registry}/${repo}:main`, options())
    expect(loaded.found).toBe(false)
    expect(loaded.reason).toBe(`nothing has been published as ${env.registry}/${repo}:main yet`)
  })

  it('refused or missing credentials: no baseline, and the password is in no message', async () => {
    const wrong = await loadBaseline(ref, options({ auth: { ...auth, password: 'wrong-password-123' } }))
    expect(wrong.found).toBe(false)
    expect(wrong.reason).toMatch(/HTTP 401 \(the credentials were refused\)/)
    expect(wrong.reason).not.toContain('wrong-password-123')
    const anonymous = await loadBaseline(ref, options({ auth: undefined }))
    expect(anonymous.reason).toMatch(/the registry requires credentials/)
    // credentials for another registry are not sent
    const elsewhere = await loadBaseline(ref, options({ auth: { ...auth, registry: 'ghcr.io' } }))
    expect(elsewhere.reason).toMatch(/the registry requires credentials/)
  })

  it('a blob that does not match its digest fails the load: no baseline', async () => {
    const proxied = `${proxyUrl}/${repo}:v1`
    const loaded = await loadBaseline(proxied, options({ auth: { ...auth, registry: proxyUrl } }))
    expect(loaded.found).toBe(false)
    expect(loaded.digest).toBe(await registryDigest(env, repo, 'v1'))
    expect(loaded.reason).toMatch(
      /could not be pulled and scanned: .*the blob sha256:[0-9a-f]{64} has the digest sha256:/
    )
  })

  it('an unreachable registry: no baseline, naming it', async () => {
    const loaded = await loadBaseline('127.0.0.1:9/acme/app:main', options())
    expect(loaded.found).toBe(false)
    expect(loaded.reason).toMatch(/the registry could not be read: cannot reach 127\.0\.0\.1:9/)
  })
})
