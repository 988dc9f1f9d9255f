/**
 * Key-based signing end to end against the test registry (basic auth, no referrers API): sign and attach,
 * then read everything back through the registry's HTTP API and check the bundles with @sigstore/verify
 * directly; then the tampering cases, each refused with its reason.
 */
import { describe, it, expect, beforeAll } from '@jest/globals'
import { createPublicKey } from 'node:crypto'
import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle'
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { attachArtifactToImage } from '@sigstore/oci'
import { signAndAttest, signingPlan, type SigningResult } from '../../src/sign/index.js'
import { verifyImage } from '../../src/sign/verify.js'
import { loadPublicKeys } from '../../src/sign/trust.js'
import { PREDICATE } from '../../src/sign/statements.js'
import { pushUniqueImage, registryAuth, p256, passingReport } from '../helpers/signing.js'
import { testEnv, uniqueName } from '../helpers/testenv.js'

const env = testEnv()
const key = p256()
const basic = 'Basic ' + Buffer.from(`${env.username}:${env.password}`).toString('base64')
const SBOM = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  components: [{ type: 'library', name: 'zlib' }]
})

async function get(
  path: string,
  accept = 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json'
) {
  const res = await fetch(`http://${env.registry}/v2/${path}`, {
    headers: { Authorization: basic, Accept: accept }
  })
  return {
    status: res.status,
    body: Buffer.from(await res.arrayBuffer()),
    type: res.headers.get('content-type')
  }
}

async function sign(ref: string, digest: string, pem = key.privateKey): Promise<SigningResult> {
  return signAndAttest({
    plan: signingPlan('auto', pem, {}),
    signingKey: pem,
    refs: [ref],
    digest,
    auth: registryAuth(),
    report: passingReport(digest),
    sbom: SBOM,
    thresholds: 'high',
    ignores: [{ id: 'CVE-2099-0001', reason: 'not reachable', expires: '2099-12-31', source: 'config' }],
    osv: { source: 'offline', location: 'osv-db' },
    env: {}
  })
}

const trusted = () => ({ keys: loadPublicKeys([key.publicKey]), identities: [], auth: registryAuth() })

describe('key-based signing against the registry', () => {
  let repo: string
  let img: { ref: string; digest: string }
  let res: SigningResult
  beforeAll(async () => {
    repo = `sign/${uniqueName('key')}`
    img = await pushUniqueImage(repo, 'v1')
    res = await sign(img.ref, img.digest)
  }, 120_000)

  it('attaches the signature and three attestations as referrers in the sha256-<hex> tag index', async () => {
    expect(res.how).toBe('key')
    expect(res.attestations.map((a) => a.predicateType)).toEqual([
      PREDICATE.signature,
      PREDICATE.sbom,
      PREDICATE.gate,
      PREDICATE.provenance
    ])
    const index = await get(`${repo}/manifests/${img.digest.replace(':', '-')}`)
    expect(index.status).toBe(200)
    const idx = JSON.parse(index.body.toString()) as {
      mediaType: string
      manifests: { digest: string; artifactType: string; annotations: Record<string, string> }[]
    }
    expect(idx.mediaType).toBe('application/vnd.oci.image.index.v1+json')
    expect(idx.manifests.map((m) => m.digest).sort()).toEqual(res.attestations.map((a) => a.digest).sort())
    const pub = createPublicKey(key.publicKey)
    const trust = toTrustMaterial(
      TrustedRoot.fromJSON({ tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] }),
      () => ({ publicKey: pub, validFor: () => true })
    )
    for (const d of idx.manifests) {
      expect(d.artifactType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json')
      const m = await get(`${repo}/manifests/${d.digest}`)
      const manifest = JSON.parse(m.body.toString())
      expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json')
      expect(manifest.artifactType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json')
      expect(manifest.config.mediaType).toBe('application/vnd.oci.empty.v1+json')
      expect(manifest.subject.digest).toBe(img.digest)
      expect(manifest.layers).toHaveLength(1)
      const blob = await get(`${repo}/blobs/${manifest.layers[0].digest}`, '*/*')
      const bundle = bundleFromJSON(JSON.parse(blob.body.toString()))
      expect(bundle.verificationMaterial.tlogEntries).toHaveLength(0)
      // the library verifies it on its own: key only, no transparency log
      new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(
        toSignedEntity(bundle)
      )
      const env2 = bundle.content.$case === 'dsseEnvelope' ? bundle.content.dsseEnvelope : undefined
      expect(env2?.payloadType).toBe('application/vnd.in-toto+json')
      const st = JSON.parse(Buffer.from(env2!.payload).toString())
      expect(st._type).toBe('https://in-toto.io/Statement/v1')
      expect(st.subject).toEqual([
        { name: `${env.registry}/${repo}`, digest: { sha256: img.digest.slice(7) } }
      ])
      expect(st.predicateType).toBe(manifest.annotations['dev.sigstore.bundle.predicateType'])
      if (st.predicateType === PREDICATE.gate) {
        expect(st.predicate.verdict).toBe('passed')
        expect(st.predicate.image.digest).toBe(img.digest)
        expect(st.predicate.ignores[0]).toMatchObject({ id: 'CVE-2099-0001', reason: 'not reachable' })
        expect(st.predicate.findings[0]).toMatchObject({
          ruleId: 'DL3008',
          location: { path: 'Dockerfile', startLine: 2 }
        })
      }
      if (st.predicateType === PREDICATE.sbom) expect(st.predicate).toEqual(JSON.parse(SBOM))
    }
  }, 60_000)

  it('verifies with the public key, by tag and by digest, and requires the gate to have passed', async () => {
    const byTag = await verifyImage(img.ref, { ...trusted(), requireGatePassed: true })
    expect(byTag.reasons).toEqual([])
    expect(byTag.verified).toBe(true)
    expect(byTag.digest).toBe(img.digest)
    expect(byTag.via).toBe('tag')
    const byDigest = await verifyImage(`${env.registry}/${repo}@${img.digest}`, trusted())
    expect(byDigest.verified).toBe(true)
    expect(byDigest.attestations).toHaveLength(4)
  }, 60_000)

  it('refuses the wrong key', async () => {
    const v = await verifyImage(img.ref, { ...trusted(), keys: loadPublicKeys([p256().publicKey]) })
    expect(v.verified).toBe(false)
    expect(v.reasons[0]).toMatch(/does not verify with the trusted key/)
  }, 60_000)

  it('refuses a modified attestation', async () => {
    const other = await pushUniqueImage(repo, 'tampered')
    const signed = await sign(other.ref, other.digest)
    const gateDigest = signed.attestations.find((a) => a.predicateType === PREDICATE.gate)!.digest
    const m = JSON.parse((await get(`${repo}/manifests/${gateDigest}`)).body.toString())
    const bundle = bundleFromJSON(
      JSON.parse((await get(`${repo}/blobs/${m.layers[0].digest}`, '*/*')).body.toString())
    )
    if (bundle.content.$case !== 'dsseEnvelope') throw new Error('expected DSSE')
    const st = JSON.parse(Buffer.from(bundle.content.dsseEnvelope.payload).toString())
    st.predicate.findings = [] // hide a finding, keep the signature
    bundle.content.dsseEnvelope.payload = Buffer.from(JSON.stringify(st))
    await attachArtifactToImage({
      imageName: `${env.registry}/${repo}`,
      imageDigest: other.digest,
      artifact: Buffer.from(JSON.stringify(bundleToJSON(bundle))),
      mediaType: bundle.mediaType,
      annotations: { 'dev.sigstore.bundle.predicateType': PREDICATE.gate },
      credentials: { username: env.username, password: env.password }
    })
    const v = await verifyImage(other.ref, trusted())
    expect(v.verified).toBe(false)
    expect(v.reasons).toHaveLength(1)
    expect(v.reasons[0]).toContain(PREDICATE.gate)
    expect(v.reasons[0]).toMatch(/changed after signing/)
  }, 120_000)

  it('refuses a different image re-tagged as the signed one', async () => {
    const tag = 'retag'
    const signedImg = await pushUniqueImage(repo, tag)
    await sign(signedImg.ref, signedImg.digest)
    expect((await verifyImage(signedImg.ref, trusted())).verified).toBe(true)
    // another image now answers to the same tag
    const impostor = await pushUniqueImage(repo, tag)
    expect(impostor.digest).not.toBe(signedImg.digest)
    const v = await verifyImage(signedImg.ref, trusted())
    expect(v.verified).toBe(false)
    expect(v.digest).toBe(impostor.digest)
    expect(v.reasons[0]).toMatch(/no Sigstore signature is attached/)
    // and with the signed image's referrers index copied to the impostor's referrers tag
    const idx = await get(`${repo}/manifests/${signedImg.digest.replace(':', '-')}`)
    const put = await fetch(
      `http://${env.registry}/v2/${repo}/manifests/${impostor.digest.replace(':', '-')}`,
      {
        method: 'PUT',
        headers: { Authorization: basic, 'Content-Type': 'application/vnd.oci.image.index.v1+json' },
        body: idx.body
      }
    )
    expect(put.status).toBe(201)
    const copied = await verifyImage(signedImg.ref, trusted())
    expect(copied.verified).toBe(false)
    expect(copied.reasons.join('\n')).toMatch(
      new RegExp(`subject is ${signedImg.digest}, not ${impostor.digest}`)
    )
  }, 120_000)
})
