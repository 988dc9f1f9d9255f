/**
 * A baseline read from its signed gate-result attestation on the real test registry (basic auth, no referrers
 * API: the `sha256-<hex>` tag fallback), through a proxy that records every blob it serves: the image's layers
 * are never fetched, and the classification is the one the pull-and-scan path gives. A forged (re-signed by
 * another key), modified or misdirected (wrong subject) attestation is not used: the image is pulled and scanned.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle'
import { attachArtifactToImage } from '@sigstore/oci'
import { loadBaseline, type LoadOptions } from '../../src/baseline/load.js'
import { classifyFindings, findingKey } from '../../src/baseline/classify.js'
import { createEngine } from '../../src/docker/engine.js'
import type { Finding, Report } from '../../src/findings.js'
import { createOfflineSource } from '../../src/scan/osv/index.js'
import { signAndAttest, signingPlan } from '../../src/sign/index.js'
import { attachBundle, signStatement } from '../../src/sign/attach.js'
import { keyBundleBuilder } from '../../src/sign/signer.js'
import { PREDICATE, gateResultPredicate, statement } from '../../src/sign/statements.js'
import { buildOptions } from '../helpers/build.js'
import { p256, pushUniqueImage, registryAuth } from '../helpers/signing.js'
import { testEnv, uniqueName, untag } from '../helpers/testenv.js'

const env = testEnv()
const engine = createEngine()
const auth = registryAuth()
const repo = `e2e/${uniqueName('bl-att')}`
const ref = `${env.registry}/${repo}:v1`
const basic = 'Basic ' + Buffer.from(`${env.username}:${env.password}`).toString('base64')
const KEY = 'AKIA' + 'Q'.repeat(12) + 'TEST'
const key = p256()
const SBOM = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [] })
const LINT: Finding = {
  category: 'lint',
  ruleId: 'DL3008',
  severity: 'medium',
  message: 'pin versions',
  location: { path: 'Dockerfile', startLine: 2 }
}

let proxy: Server
let proxyUrl = ''
/** Every path the proxy was asked for. */
const served: string[] = []
let digest = ''
let scanned: Finding[] = []

const options = (over: Partial<LoadOptions> = {}): LoadOptions => ({
  auth,
  source: createOfflineSource(join(process.cwd(), '__tests__/fixtures/e2e-osv')),
  ignoreUnfixed: false,
  unknownSeverity: 'medium',
  ...over
})
const trustKey = (publicKey = key.publicKey): Partial<LoadOptions> => ({
  trust: { keys: [publicKey], identities: [] }
})
const viaProxy = (tag: string) => ({
  ref: `${proxyUrl}/${repo}:${tag}`,
  auth: { ...auth, registry: proxyUrl }
})

function report(d: string, findings: Finding[]): Report {
  return {
    tool: { name: 'secure-image', version: '0.0.0-test' },
    image: { ref, id: 'sha256:' + 'a'.repeat(64), digest: d },
    findings,
    gate: { passed: true, threshold: 'high', failing: 0 }
  }
}

async function sign(imageRef: string, d: string, findings: Finding[]) {
  return signAndAttest({
    plan: signingPlan('auto', key.privateKey, {}),
    signingKey: key.privateKey,
    refs: [imageRef],
    digest: d,
    auth,
    report: report(d, findings),
    sbom: SBOM,
    thresholds: 'high',
    ignores: [],
    osv: { source: 'offline', location: 'osv-db' },
    env: {}
  })
}

async function get(path: string, accept: string) {
  const res = await fetch(`http://${env.registry}/v2/${path}`, {
    headers: { Authorization: basic, Accept: accept }
  })
  return Buffer.from(await res.arrayBuffer())
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'si-bl-att-'))
  writeFileSync(
    join(dir, 'Dockerfile'),
    `FROM busybox:stable\nRUN echo "aws_key=${KEY}" > /etc/leaked.conf && echo ${uniqueName('s')} > /stamp\n`
  )
  const { imageId } = await engine.build(buildOptions(dir, ref), () => undefined)
  const pushed = await engine.push(imageId, [ref], auth)
  if (!pushed.digest) throw new Error('the push gave no digest')
  digest = pushed.digest
  proxy = createServer((req, res) => {
    served.push(`${req.method} ${req.url}`)
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
  // The pipeline's own findings for this image: a real scan, plus a Dockerfile finding only a gate result carries.
  const loaded = await loadBaseline(ref, options())
  if (loaded.source !== 'scan') throw new Error(`expected a scanned baseline, got ${loaded.source}`)
  scanned = loaded.findings
  await sign(ref, digest, [...scanned, LINT])
}, 180_000)

afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve))
  untag(ref)
})

describe('a baseline from its gate-result attestation', () => {
  it('is read from the verified attestation without fetching a layer, and classifies as a scan does', async () => {
    const manifest = JSON.parse(
      (
        await get(`${repo}/manifests/${digest}`, 'application/vnd.docker.distribution.manifest.v2+json')
      ).toString()
    ) as { layers: { digest: string }[] }
    const layers = manifest.layers.map((l) => l.digest)
    expect(layers.length).toBeGreaterThan(1)
    served.length = 0
    const p = viaProxy('v1')
    const logs: string[] = []
    const loaded = await loadBaseline(
      p.ref,
      options({ auth: p.auth, ...trustKey(), log: (l) => logs.push(l) })
    )
    expect(loaded.fallback).toBeUndefined()
    expect(loaded).toMatchObject({ found: true, digest, source: 'attestation', hasDockerfileFindings: true })
    expect(loaded.attestations?.gate).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(loaded.attestations?.sbom).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(logs.join('\n')).toMatch(/read from its gate-result attestation sha256:.* signed by key /)
    // the proxy served the referrers (bundle blobs), and not one of the image's layers
    const blobs = served.filter((s) => s.includes('/blobs/'))
    expect(blobs.length).toBeGreaterThanOrEqual(4)
    for (const l of layers) expect(served.join('\n')).not.toContain(l)

    // the secret is there with its path in the image, and the Dockerfile finding too
    expect(loaded.findings.find((f) => f.category === 'secret')).toMatchObject({
      ruleId: 'SI5002',
      imagePath: '/etc/leaked.conf'
    })
    expect(loaded.findings.find((f) => f.category === 'lint')).toMatchObject({ ruleId: 'DL3008' })
    const imageKeys = (fs: Finding[]) =>
      fs
        .filter((f) => f.category !== 'lint')
        .map(findingKey)
        .sort()
    expect(imageKeys(loaded.findings)).toEqual(imageKeys(scanned))

    // the same current image, less its secret, plus a new one: both baselines classify it alike
    const current = (): Finding[] => [
      ...scanned.filter((f) => f.category !== 'secret').map((f) => ({ ...f })),
      { category: 'secret', ruleId: 'SI5002', severity: 'high', message: 'key', imagePath: '/etc/new.conf' }
    ]
    const byScan = current()
    const a = classifyFindings(byScan, scanned)
    const byAttestation = current()
    const b = classifyFindings(byAttestation, loaded.findings, { hasDockerfileFindings: true })
    expect(byAttestation.map((f) => [findingKey(f), f.baseline])).toEqual(
      byScan.map((f) => [findingKey(f), f.baseline])
    )
    expect(byAttestation.find((f) => f.imagePath === '/etc/new.conf')?.baseline).toBe('new')
    expect(b.fixed.filter((f) => f.category !== 'lint').map(findingKey)).toEqual(a.fixed.map(findingKey))
    expect(a.fixed.map((f) => f.imagePath)).toEqual(['/etc/leaked.conf'])
    // the attested baseline also knows the Dockerfile finding went away
    expect(b.fixed.map((f) => f.ruleId)).toContain('DL3008')
  }, 120_000)

  it('without a trusted key or identity, the attestation is not used: pulled and scanned', async () => {
    const loaded = await loadBaseline(ref, options())
    expect(loaded.source).toBe('scan')
    expect(loaded.fallback).toMatch(/no trusted key or identity is configured/)
    expect(loaded.findings.find((f) => f.category === 'secret')?.imagePath).toBe('/etc/leaked.conf')
    // the run's own signing key is trusted: it signs what the pipeline publishes
    const own = await loadBaseline(
      ref,
      options({ trust: { keys: [], identities: [], signingKey: key.privateKey } })
    )
    expect(own).toMatchObject({ source: 'attestation', digest })
  }, 120_000)

  it('signed by a key that is not trusted: not used', async () => {
    const loaded = await loadBaseline(ref, options(trustKey(p256().publicKey)))
    expect(loaded.source).toBe('scan')
    expect(loaded.fallback).toMatch(/does not verify with the trusted key/)
    expect(loaded.findings.some((f) => f.category === 'secret')).toBe(true)
  }, 120_000)

  it('a modified gate-result attestation (findings removed, signature kept): not used', async () => {
    const other = await pushUniqueImage(repo, 'tampered')
    const signed = await sign(other.ref, other.digest, [LINT])
    const gate = signed.attestations.find((x) => x.predicateType === PREDICATE.gate)!.digest
    const accept = 'application/vnd.oci.image.manifest.v1+json'
    const m = JSON.parse((await get(`${repo}/manifests/${gate}`, accept)).toString())
    const bundle = bundleFromJSON(
      JSON.parse((await get(`${repo}/blobs/${m.layers[0].digest}`, '*/*')).toString())
    )
    if (bundle.content.$case !== 'dsseEnvelope') throw new Error('expected DSSE')
    const st = JSON.parse(Buffer.from(bundle.content.dsseEnvelope.payload).toString())
    st.predicate.findings = []
    bundle.content.dsseEnvelope.payload = Buffer.from(JSON.stringify(st))
    await attachArtifactToImage({
      imageName: `${env.registry}/${repo}`,
      imageDigest: other.digest,
      artifact: Buffer.from(JSON.stringify(bundleToJSON(bundle))),
      mediaType: bundle.mediaType,
      annotations: { 'dev.sigstore.bundle.predicateType': PREDICATE.gate },
      credentials: { username: env.username, password: env.password }
    })
    const loaded = await loadBaseline(other.ref, options(trustKey()))
    expect(loaded).toMatchObject({ found: true, digest: other.digest, source: 'scan' })
    expect(loaded.fallback).toMatch(/changed after signing/)
  }, 180_000)

  it("another image's gate result (statement subject is not the digest): not used", async () => {
    const other = await pushUniqueImage(repo, 'misdirected')
    const { builder } = keyBundleBuilder(key.privateKey)
    const name = `${env.registry}/${repo}`
    // a proper signature for this image, and the first image's gate result (no findings) attached to it
    const sig = statement({ name, digest: other.digest }, PREDICATE.signature, {})
    const foreign = statement(
      { name, digest },
      PREDICATE.gate,
      gateResultPredicate(report(other.digest, []), {
        digest: other.digest,
        thresholds: 'high',
        ignores: [],
        osv: { source: 'offline', location: 'osv-db' }
      })
    )
    for (const [s, type] of [
      [sig, PREDICATE.signature],
      [foreign, PREDICATE.gate]
    ] as const) {
      await attachBundle({
        repository: name,
        digest: other.digest,
        bundle: await signStatement(builder, s),
        predicateType: type,
        auth
      })
    }
    const loaded = await loadBaseline(other.ref, options(trustKey()))
    expect(loaded).toMatchObject({ found: true, digest: other.digest, source: 'scan' })
    expect(loaded.fallback).toContain(`subject is ${digest}, not ${other.digest}`)
  }, 180_000)
})
