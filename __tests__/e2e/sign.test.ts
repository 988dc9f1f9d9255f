/**
 * Signing through the bundled action, as the runner runs it: a push run signs the pushed digest and attaches
 * the attestations (key-based, and keyless against Sigstore on loopback); pull-request and fork runs do not
 * sign and do not fail; a base image that is not signed is refused under require-signed-base.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { runAction, expectExit, pullRequestEvent, pushEvent } from '../helpers/runner.js'
import { testEnv, uniqueName, untag } from '../helpers/testenv.js'
import { registryTags } from '../helpers/registry.js'
import { startGitHubServer, type GitHubServer } from '../helpers/github-server.js'
import { startSigstore, ISSUER, IDENTITY, type SigstoreServer } from '../helpers/sigstore-server.js'
import {
  workspace,
  repoFor,
  credentials,
  expectNoSecrets,
  annotationsAt,
  OSV_FIXTURES,
  GOOD_DOCKERFILE
} from '../helpers/e2e.js'
import { p256, pushUniqueImage, registryAuth } from '../helpers/signing.js'
import { verifyImage } from '../../src/sign/verify.js'
import { loadPublicKeys, loadTrustedRoot } from '../../src/sign/trust.js'
import { signAndAttest, signingPlan } from '../../src/sign/index.js'
import { PREDICATE } from '../../src/sign/statements.js'

const env = testEnv()
const TOKEN = 'ghs_e2eSignTokenThatMustNeverBeLogged012345'
const key = p256()
/** The key's base64 body lines: none may appear anywhere in what the run produced. */
const keyLines = key.privateKey.split('\n').filter((l) => l && !l.startsWith('-----'))
let server: GitHubServer
let sig: SigstoreServer
const cleanup: string[] = []

beforeAll(async () => {
  server = await startGitHubServer()
  sig = await startSigstore()
})
afterAll(async () => {
  await server.close()
  await sig.close()
  untag(...cleanup)
})

async function run(
  name: string,
  opts: {
    inputs?: Record<string, string>
    env?: Record<string, string>
    pr?: 'same' | 'fork'
    dockerfile?: string
  } = {}
) {
  server.reset()
  const { repo, image } = repoFor(uniqueName(name))
  const r = await runAction({
    workspace: workspace(opts.dockerfile ? { dockerfile: opts.dockerfile } : {}),
    inputs: { image, 'osv-db': OSV_FIXTURES, ...credentials(), ...opts.inputs },
    event: opts.pr ? pullRequestEvent(21, { fork: opts.pr === 'fork' }) : pushEvent('refs/heads/main'),
    apiUrl: server.url,
    token: TOKEN,
    env: opts.env ?? {}
  })
  if (r.outputs['image-id']) cleanup.push(r.outputs['image-id'])
  return { r, repo, image }
}

describe('signing in the action', () => {
  it('a push run with a signing key signs the pushed digest and attaches SBOM, gate result and provenance', async () => {
    const { r, image } = await run('signed', { inputs: { 'signing-key': key.privateKey } })
    expectExit(r, 0)
    expect(r.outputs.pushed).toBe('true')
    expect(r.outputs.signature).toMatch(/^sha256:[0-9a-f]{64}$/)
    const attestations = JSON.parse(r.outputs.attestations) as { predicateType: string; digest: string }[]
    expect(attestations.map((a) => a.predicateType)).toEqual([
      PREDICATE.signature,
      PREDICATE.sbom,
      PREDICATE.gate,
      PREDICATE.provenance
    ])
    expect(attestations[0].digest).toBe(r.outputs.signature)
    const v = await verifyImage(`${image}:main`, {
      keys: loadPublicKeys([key.publicKey]),
      identities: [],
      requireGatePassed: true,
      auth: registryAuth()
    })
    expect(v.reasons).toEqual([])
    expect(v.verified).toBe(true)
    expect(v.digest).toBe(r.outputs.digest)
    const prov = v.attestations.find((a) => a.predicateType === PREDICATE.provenance)!.statement
      .predicate as {
      buildDefinition: { buildType: string; resolvedDependencies: { digest: { gitCommit: string } }[] }
    }
    expect(prov.buildDefinition.buildType).toBe('https://actions.github.io/buildtypes/workflow/v1')
    expect(prov.buildDefinition.resolvedDependencies[0].digest.gitCommit).toBe(
      'f00dfacecafebeef0123456789abcdef01234567'
    )
    const sbom = v.attestations.find((a) => a.predicateType === PREDICATE.sbom)!.statement.predicate as {
      bomFormat: string
    }
    expect(sbom.bomFormat).toBe('CycloneDX')
    expect(r.stdout).toContain('::add-mask::')
    expectNoSecrets(r, [env.password, TOKEN, ...keyLines], server.requests)

    // mode: verify, in the action, with the public key as trusted-keys
    const verify = (ref: string, trustedKeys: string) =>
      runAction({
        workspace: workspace(),
        inputs: {
          mode: 'verify',
          image: ref,
          'trusted-keys': trustedKeys,
          'require-gate-passed': 'true',
          ...credentials()
        },
        event: pushEvent('refs/heads/main'),
        apiUrl: server.url,
        token: TOKEN
      })
    const ok = await verify(`${image}:main`, key.publicKey)
    expectExit(ok, 0)
    expect(ok.outputs.verified).toBe('true')
    expect(ok.outputs.digest).toBe(r.outputs.digest)
    expect(JSON.parse(ok.outputs.attestations)).toHaveLength(4)
    const wrong = await verify(`${image}:main`, p256().publicKey)
    expectExit(wrong, 1)
    expect(wrong.outputs.verified).toBe('false')
    expect(wrong.stdout).toMatch(/::error::.*did not verify: .*does not verify with the trusted key/)
    expectNoSecrets(wrong, [env.password, TOKEN], server.requests)
  }, 300_000)

  it('a push run with id-token permission signs keyless (Fulcio, Rekor, TSA on loopback)', async () => {
    const { r, image } = await run('keyless', { env: sig.env })
    expectExit(r, 0)
    expect(r.outputs.signature).toMatch(/^sha256:[0-9a-f]{64}$/)
    const v = await verifyImage(`${image}:main`, {
      keys: [],
      identities: [{ issuer: ISSUER, identity: '^https://github\\.com/acme/app/\\.github/workflows/' }],
      trustedRoot: () => loadTrustedRoot(sig.trustedRootFile),
      requireGatePassed: true,
      auth: registryAuth()
    })
    expect(v.reasons).toEqual([])
    expect(v.attestations[0].signer).toContain(IDENTITY)
  }, 300_000)

  it('a pull request run and a fork run do not sign and do not fail', async () => {
    const certsBefore = sig.requests.filter((q) => q === '/api/v2/signingCert').length
    const pr = await run('pr-nosign', { pr: 'same', env: sig.env, inputs: { 'signing-key': key.privateKey } })
    expectExit(pr.r, 0)
    expect(pr.r.outputs.pushed).toBe('false')
    expect(pr.r.outputs.signature).toBe('')
    expect(pr.r.outputs.attestations).toBe('[]')
    expect(await registryTags(env, pr.repo)).toEqual([])
    // the id-token was there, and still nothing went to Fulcio
    expect(sig.requests.filter((q) => q === '/api/v2/signingCert').length).toBe(certsBefore)

    // a fork: no secrets (no key, no password), no id-token
    const before = sig.requests.length
    const fork = await run('fork-nosign', {
      pr: 'fork',
      inputs: { username: '', password: '', 'signing-key': '', sign: 'true' }
    })
    expectExit(fork.r, 0)
    expect(fork.r.outputs.gate).toBe('passed')
    expect(fork.r.outputs.signature).toBe('')
    expect(sig.requests.length).toBe(before)
  }, 300_000)

  it('a push run that cannot sign (no id-token, no key) gives a notice and passes', async () => {
    const { r } = await run('nosign')
    expectExit(r, 0)
    expect(r.outputs.pushed).toBe('true')
    expect(r.outputs.signature).toBe('')
    expect(r.stdout).toMatch(/^::notice::The image was not signed: .*id-token: write/m)
  }, 300_000)

  describe('require-signed-base', () => {
    const baseRepo = `e2e/${uniqueName('base')}`
    let unsigned: { ref: string; digest: string }
    let signed: { ref: string; digest: string }
    beforeAll(async () => {
      unsigned = await pushUniqueImage(baseRepo, 'unsigned')
      signed = await pushUniqueImage(baseRepo, 'signed')
      await signAndAttest({
        plan: signingPlan('auto', key.privateKey, {}),
        signingKey: key.privateKey,
        refs: [signed.ref],
        digest: signed.digest,
        auth: registryAuth(),
        report: {
          tool: { name: 'secure-image', version: '0' },
          findings: [],
          gate: { passed: true, threshold: 'high', failing: 0 }
        },
        thresholds: 'high',
        ignores: [],
        osv: { source: 'offline', location: 'x' },
        env: {}
      })
    }, 120_000)
    const dockerfile = (base: string) => GOOD_DOCKERFILE.replace('FROM busybox:stable', `FROM ${base}`)
    const inputs = () => ({
      'require-signed-base': 'true',
      'trusted-keys': key.publicKey,
      'allowed-registries': `docker.io/library, ${env.registry}/e2e`
    })

    it('refuses an unsigned base on its FROM line, and builds nothing', async () => {
      const { r, repo } = await run('unsigned-base', {
        dockerfile: dockerfile(unsigned.ref),
        inputs: inputs()
      })
      expectExit(r, 1)
      expect(r.outputs.gate).toBe('failed')
      expect(r.outputs['image-id']).toBe('')
      expect(await registryTags(env, repo)).toEqual([])
      const at = annotationsAt(r, 'Dockerfile', 2, server.requests)
      expect(at.some((a) => a.includes('SI2006') || /not signed by a trusted signer/.test(a))).toBe(true)
    }, 300_000)

    it('builds on a base signed by a trusted key', async () => {
      const { r } = await run('signed-base', { dockerfile: dockerfile(signed.ref), inputs: inputs() })
      expect(r.stdout).not.toMatch(/SI2006/)
      expectExit(r, 0)
      expect(r.outputs.pushed).toBe('true')
    }, 300_000)
  })
})
