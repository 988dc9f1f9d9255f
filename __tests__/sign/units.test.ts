/** The pure parts of signing: the signing decision, key and trust parsing, the statements, and the inputs. */
import { describe, it, expect } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { signingPlan } from '../../src/sign/index.js'
import { parseSigningKey, KeySigner } from '../../src/sign/signer.js'
import { loadPublicKeys, parseIdentities, splitKeyEntries } from '../../src/sign/trust.js'
import {
  statement,
  gateResultPredicate,
  slsaProvenance,
  subjectDigests,
  PREDICATE
} from '../../src/sign/statements.js'
import { parseRepoConfig } from '../../src/config.js'
import { resolveInputs } from '../../src/inputs.js'
import { pinnedBaseFindings } from '../../src/policy/signed-base.js'
import { p256, passingReport } from '../helpers/signing.js'

const DIGEST = 'sha256:' + 'ab'.repeat(32)
const OIDC = { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/t?x=1', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' }

describe('signingPlan', () => {
  it('signs with the key when one is given, keyless with an id-token, and never under sign: false', () => {
    expect(signingPlan('auto', 'PEM', {}).how).toBe('key')
    expect(signingPlan('auto', '', OIDC).how).toBe('keyless')
    expect(signingPlan('auto', 'PEM', OIDC).how).toBe('key')
    expect(signingPlan('auto', '', { SIGSTORE_ID_TOKEN: 'x' }).how).toBe('keyless')
    expect(signingPlan('false', 'PEM', OIDC)).toEqual({ how: 'none', why: 'sign is false' })
  })
  it('gives a notice under auto, and an error under true, when nothing can sign', () => {
    const auto = signingPlan('auto', '', { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://x' })
    expect(auto.how).toBe('none')
    expect(auto.error).toBeUndefined()
    expect(auto.why).toMatch(/id-token: write/)
    const must = signingPlan('true', '', {})
    expect(must.error).toBe(true)
    expect(must.why).toMatch(/^sign is true, but/)
  })
})

describe('signing keys', () => {
  it('accepts ECDSA P-256 (PKCS#8 and SEC1) and signs', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }).toString()
    const signer = new KeySigner(parseSigningKey(sec1))
    const s = await signer.sign(Buffer.from('x'))
    expect(s.key.$case).toBe('publicKey')
    expect(s.key.hint).toMatch(/^[0-9a-f]{64}$/)
    expect(s.signature.length).toBeGreaterThan(60)
    expect(() => parseSigningKey(p256().privateKey)).not.toThrow()
  })
  it('refuses other curves, RSA, encrypted and non-PEM keys without quoting them', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
    expect(() => parseSigningKey(p384)).toThrow(
      /must be an ECDSA P-256 private key \(got a EC secp384r1 key\)/
    )
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
    expect(() => parseSigningKey(rsa)).toThrow(/got a rsa key/)
    const enc = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
      .toString()
    expect(() => parseSigningKey(enc)).toThrow(/encrypted/)
    try {
      parseSigningKey('not-a-key-secret-material')
      throw new Error('accepted')
    } catch (e) {
      expect((e as Error).message).toMatch(/not a PEM private key/)
      expect((e as Error).message).not.toContain('secret-material')
    }
  })
})

describe('trust inputs', () => {
  it('reads PEM text (several keys) and key files; a missing file or a non-key names itself', () => {
    const a = p256().publicKey
    const b = p256().publicKey
    const dir = mkdtempSync(path.join(tmpdir(), 'si-keys-'))
    writeFileSync(path.join(dir, 'k.pub'), b)
    const entries = splitKeyEntries(`${a}\nk.pub`)
    expect(entries).toHaveLength(2)
    const keys = loadPublicKeys(entries, dir)
    expect(keys.map((k) => k.source)).toEqual(['PEM text', 'k.pub'])
    expect(keys[0].hint).not.toBe(keys[1].hint)
    expect(loadPublicKeys([a + b])).toHaveLength(2)
    expect(() => loadPublicKeys(['gone.pub'], dir)).toThrow(/cannot read the key file gone\.pub: ENOENT/)
    writeFileSync(path.join(dir, 'x.pub'), 'hello')
    expect(() => loadPublicKeys(['x.pub'], dir)).toThrow(/x\.pub holds no PEM public key/)
  })
  it('parses ISSUER IDENTITY-REGEXP lines and refuses malformed ones', () => {
    expect(
      parseIdentities('# ours\nhttps://token.actions.githubusercontent.com ^https://github.com/acme/\n')
    ).toEqual([
      { issuer: 'https://token.actions.githubusercontent.com', identity: '^https://github.com/acme/' }
    ])
    expect(() => parseIdentities('https://x.example')).toThrow(/line 1 must be "ISSUER IDENTITY-REGEXP"/)
    expect(() => parseIdentities('issuer ^x')).toThrow(/issuer must be a URL/)
    expect(() => parseIdentities('https://x.example ([')).toThrow(/not a valid regular expression/)
  })
  it('takes them from the config file and the inputs, input first', () => {
    const c = parseRepoConfig(
      'sign: "false"\nrequire-signed-base: true\ntrusted-keys: [keys/a.pub]\ntrusted-identities:\n  - issuer: https://token.actions.githubusercontent.com\n    identity: ^https://github.com/acme/\n',
      'c.yml'
    )
    expect(c).toMatchObject({ sign: 'false', requireSignedBase: true, trustedKeys: ['keys/a.pub'] })
    expect(() => parseRepoConfig('trusted-identities:\n  - issuer: x\n    who: y\n', 'c.yml')).toThrow(
      /c\.yml:2: trusted-identities\.0\.identity/
    )
    const dir = mkdtempSync(path.join(tmpdir(), 'si-inputs-'))
    writeFileSync(
      path.join(dir, 'c.yml'),
      'require-signed-base: true\nsign: "false"\ntrusted-keys: keys/a.pub\n'
    )
    const fromConfig = resolveInputs({ config: 'c.yml' }, { cwd: dir })
    expect(fromConfig['require-signed-base']).toBe(true)
    expect(fromConfig.sign).toBe('false')
    expect(fromConfig['trusted-keys']).toEqual(['keys/a.pub'])
    const given = resolveInputs(
      { config: 'c.yml', sign: 'true', 'trusted-keys': 'b.pub, c.pub' },
      { cwd: dir }
    )
    expect(given.sign).toBe('true')
    expect(given['trusted-keys']).toEqual(['b.pub', 'c.pub'])
    expect(() => resolveInputs({ sign: 'maybe' }, { cwd: dir })).toThrow(
      /input "sign" must be auto, true or false/
    )
    expect(() => resolveInputs({ mode: 'check' }, { cwd: dir })).toThrow(/input "mode" must be run or verify/)
    expect(() => resolveInputs({ 'trusted-identities': 'nope' }, { cwd: dir })).toThrow(/trusted-identities/)
  })
})

describe('statements', () => {
  it('names the digest as the one subject, and refuses anything but sha256', () => {
    const s = statement({ name: 'ghcr.io/acme/app', digest: DIGEST }, PREDICATE.signature, {})
    expect(s).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'ghcr.io/acme/app', digest: { sha256: 'ab'.repeat(32) } }],
      predicateType: 'https://sigstore.dev/cosign/sign/v1',
      predicate: {}
    })
    expect(subjectDigests(s)).toEqual([DIGEST])
    expect(() => statement({ name: 'x', digest: 'sha256:abc' }, PREDICATE.signature, {})).toThrow(
      /not a sha256 digest/
    )
  })
  it('writes the gate result: verdict, thresholds, counts, findings with locations, ignores with reasons', () => {
    const report = passingReport(DIGEST)
    report.findings.push({
      category: 'vulnerability',
      ruleId: 'CVE-2099-1',
      severity: 'critical',
      message: 'm',
      package: { name: 'zlib', version: '1', ecosystem: 'Debian:12', purl: 'pkg:deb/x' },
      suppressed: { source: 'config', reason: 'unreachable', expires: '2099-01-01' }
    })
    report.findings.push({
      category: 'secret',
      ruleId: 'SI5002',
      severity: 'high',
      message: 'an AWS access key',
      imagePath: '/etc/leaked.conf'
    })
    const g = gateResultPredicate(report, {
      digest: DIGEST,
      thresholds: { default: 'high', lint: 'medium' },
      ignores: [{ id: 'CVE-2099-1', reason: 'unreachable', source: 'config', expires: '2099-01-01' }],
      osv: { source: 'api', location: 'https://api.osv.dev' },
      now: new Date('2030-01-02T03:04:05Z')
    })
    expect(g.verdict).toBe('passed')
    expect(g.image.digest).toBe(DIGEST)
    expect(g.thresholds).toEqual({ default: 'high', lint: 'medium' })
    expect(g.counts.lint.medium).toBe(1)
    expect(g.counts.ignored).toBe(1)
    expect(g.findings[1]).toEqual({
      category: 'vulnerability',
      ruleId: 'CVE-2099-1',
      severity: 'critical',
      message: 'm',
      package: { name: 'zlib', version: '1', ecosystem: 'Debian:12' },
      ignored: { source: 'config', reason: 'unreachable', expires: '2099-01-01' }
    })
    // the baseline's comparison key for secrets and config is the path in the image
    expect(g.findings[2]).toEqual({
      category: 'secret',
      ruleId: 'SI5002',
      severity: 'high',
      message: 'an AWS access key',
      imagePath: '/etc/leaked.conf'
    })
    expect(g.ignores).toEqual([
      { id: 'CVE-2099-1', reason: 'unreachable', source: 'config', expires: '2099-01-01' }
    ])
    expect(g.osv).toEqual({ source: 'api', location: 'https://api.osv.dev' })
    expect(g.evaluatedAt).toBe('2030-01-02T03:04:05.000Z')
    expect(g.tool.name).toBe('secure-image')
  })
  it('writes SLSA provenance from the runner environment as attest-build-provenance does', () => {
    const p = slsaProvenance({
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_WORKFLOW_REF: 'acme/app/.github/workflows/ci.yml@refs/heads/main',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: 'f00d',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REPOSITORY_ID: '1',
      GITHUB_REPOSITORY_OWNER_ID: '2',
      RUNNER_ENVIRONMENT: 'github-hosted',
      GITHUB_RUN_ID: '42',
      GITHUB_RUN_ATTEMPT: '3'
    })
    expect(p).toEqual({
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: {
          workflow: {
            ref: 'refs/heads/main',
            repository: 'https://github.com/acme/app',
            path: '.github/workflows/ci.yml'
          }
        },
        internalParameters: {
          github: {
            event_name: 'push',
            repository_id: '1',
            repository_owner_id: '2',
            runner_environment: 'github-hosted'
          }
        },
        resolvedDependencies: [
          { uri: 'git+https://github.com/acme/app@refs/heads/main', digest: { gitCommit: 'f00d' } }
        ]
      },
      runDetails: {
        builder: { id: 'https://github.com/acme/app/.github/workflows/ci.yml@refs/heads/main' },
        metadata: { invocationId: 'https://github.com/acme/app/actions/runs/42/attempts/3' }
      }
    })
  })
})

describe('pinnedBaseFindings', () => {
  const base = { ref: '127.0.0.1:5555/x/base:1', line: 2 }
  it('passes when the engine holds the verified manifest, and refuses otherwise', () => {
    expect(pinnedBaseFindings(base, DIGEST, [`127.0.0.1:5555/x/base@${DIGEST}`], 'Dockerfile')).toEqual([])
    expect(pinnedBaseFindings(base, undefined, [], 'Dockerfile')).toEqual([])
    const f = pinnedBaseFindings(
      base,
      DIGEST,
      [`127.0.0.1:5555/x/base@sha256:${'cd'.repeat(32)}`],
      'Dockerfile'
    )
    expect(f).toHaveLength(1)
    expect(f[0]).toMatchObject({ ruleId: 'SI2006', severity: 'critical', location: { startLine: 2 } })
    expect(pinnedBaseFindings(base, DIGEST, undefined, 'Dockerfile')[0].message).toMatch(/no registry digest/)
  })
})
