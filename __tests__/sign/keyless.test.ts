/**
 * Keyless signing end to end, offline: the runner's OIDC token endpoint, Fulcio, Rekor and a TSA on loopback
 * (@sigstore/mock), the test registry with basic auth, and verification against the mock's trusted root.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { signAndAttest, signingPlan } from '../../src/sign/index.js'
import { oidcIdentity } from '../../src/sign/identity.js'
import { verifyImage } from '../../src/sign/verify.js'
import { loadTrustedRoot, loadPublicKeys } from '../../src/sign/trust.js'
import { PREDICATE } from '../../src/sign/statements.js'
import { startSigstore, ISSUER, IDENTITY, type SigstoreServer } from '../helpers/sigstore-server.js'
import { pushUniqueImage, registryAuth, p256, passingReport } from '../helpers/signing.js'
import { uniqueName } from '../helpers/testenv.js'

const saved = { ...process.env }
let sig: SigstoreServer
let old: SigstoreServer

beforeAll(async () => {
  sig = await startSigstore()
  // Certificates issued two hours ago expire after ten minutes: long before the log's timestamp.
  old = await startSigstore({ caClock: new Date(Date.now() - 2 * 3600_000) })
})
afterAll(async () => {
  process.env = saved
  await sig.close()
  await old.close()
})

async function signKeyless(server: SigstoreServer, ref: string, digest: string) {
  process.env = { ...saved, ...server.env }
  return signAndAttest({
    plan: signingPlan('auto', '', process.env),
    signingKey: '',
    identityProvider: oidcIdentity(process.env),
    refs: [ref],
    digest,
    auth: registryAuth(),
    report: passingReport(digest),
    thresholds: 'high',
    ignores: [],
    osv: { source: 'offline', location: 'osv' },
    env: process.env
  })
}

const verifyOpts = (server: SigstoreServer, identity = IDENTITY, issuer = ISSUER) => ({
  keys: [],
  identities: [{ issuer, identity }],
  trustedRoot: () => loadTrustedRoot(server.trustedRootFile),
  requireGatePassed: true,
  auth: registryAuth()
})

describe('keyless signing against Sigstore on loopback', () => {
  it('signs with a Fulcio certificate for the workflow identity, logs to Rekor, timestamps, and verifies', async () => {
    expect(signingPlan('auto', '', sig.env).how).toBe('keyless')
    const img = await pushUniqueImage(`sign/${uniqueName('keyless')}`, 'v1')
    const res = await signKeyless(sig, img.ref, img.digest)
    expect(res.how).toBe('keyless')
    expect(res.signature).toMatch(/^sha256:[0-9a-f]{64}$/)
    // the token came from the runner's endpoint, asked for the sigstore audience
    expect(sig.requests.some((r) => r.startsWith('/oidc/token') && r.includes('audience=sigstore'))).toBe(
      true
    )
    expect(sig.requests).toEqual(
      expect.arrayContaining(['/api/v2/signingCert', '/api/v1/log/entries', '/api/v1/timestamp'])
    )

    const v = await verifyImage(img.ref, verifyOpts(sig, '^https://github\\.com/acme/app/'))
    expect(v.reasons).toEqual([])
    expect(v.verified).toBe(true)
    expect(v.attestations.map((a) => a.predicateType).sort()).toEqual(
      [PREDICATE.signature, PREDICATE.gate, PREDICATE.provenance].sort()
    )
    expect(v.attestations[0].signer).toContain(IDENTITY)

    // another identity, another issuer, a key instead: each refused, saying why
    const other = await verifyImage(img.ref, verifyOpts(sig, '^https://github\\.com/evil/'))
    expect(other.verified).toBe(false)
    expect(other.reasons.join('\n')).toMatch(/certificate identity error/)
    const issuer = await verifyImage(img.ref, verifyOpts(sig, IDENTITY, 'https://accounts.example.com'))
    expect(issuer.verified).toBe(false)
    expect(issuer.reasons.join('\n')).toMatch(/issuer/)
    const withKey = await verifyImage(img.ref, {
      keys: loadPublicKeys([p256().publicKey]),
      identities: [],
      auth: registryAuth()
    })
    expect(withKey.verified).toBe(false)
    expect(withKey.reasons.join('\n')).toMatch(/signed keyless, and no certificate identity/)
    // a root that does not hold this Fulcio: the chain does not verify
    const foreign = await verifyImage(img.ref, {
      ...verifyOpts(old),
      trustedRoot: () => loadTrustedRoot(old.trustedRootFile)
    })
    expect(foreign.verified).toBe(false)
  }, 120_000)

  it('refuses a certificate that had expired when the signature was logged', async () => {
    const img = await pushUniqueImage(`sign/${uniqueName('expired')}`, 'v1')
    await signKeyless(old, img.ref, img.digest)
    const v = await verifyImage(img.ref, verifyOpts(old))
    expect(v.verified).toBe(false)
    expect(v.reasons.join('\n')).toMatch(/expired|not valid|validity/i)
  }, 120_000)
})
