/** `secure-image verify` from the bundled CLI (dist/cli.cjs): exit 0 verified, 1 not verified, 2 bad input. */
import { describe, it, expect, beforeAll } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { signAndAttest, signingPlan } from '../../src/sign/index.js'
import { pushUniqueImage, registryAuth, p256, passingReport } from '../helpers/signing.js'
import { testEnv, uniqueName } from '../helpers/testenv.js'

const CLI = path.resolve('dist/cli.cjs')
const env = testEnv()
const key = p256()
const dir = mkdtempSync(path.join(tmpdir(), 'si-verify-'))
const pub = path.join(dir, 'cosign.pub')
const otherPub = path.join(dir, 'other.pub')
writeFileSync(pub, key.publicKey)
writeFileSync(otherPub, p256().publicKey)

function cli(args: string[], input = env.password) {
  const r = spawnSync(
    process.execPath,
    [CLI, 'verify', ...args, '--username', env.username, '--password-stdin'],
    {
      input,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' },
      timeout: 120_000
    }
  )
  expect(r.stdout + r.stderr).not.toContain(env.password)
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('secure-image verify', () => {
  let img: { ref: string; digest: string }
  beforeAll(async () => {
    img = await pushUniqueImage(`sign/${uniqueName('cli')}`, 'v1')
    await signAndAttest({
      plan: signingPlan('auto', key.privateKey, {}),
      signingKey: key.privateKey,
      refs: [img.ref],
      digest: img.digest,
      auth: registryAuth(),
      report: passingReport(img.digest),
      thresholds: 'high',
      ignores: [],
      osv: { source: 'offline', location: 'osv' },
      env: {}
    })
  }, 120_000)

  it('exits 0 on a signed image, with the gate required', () => {
    const r = cli([img.ref, '--key', pub, '--require-gate-passed'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`Verified: ${env.registry}/`)
    expect(r.stdout).toContain(img.digest)
    expect(r.stdout).toContain('https://secure-image.dev/gate-result/v1')
    const j = cli([`${img.ref.replace(/:v1$/, '')}@${img.digest}`, '--key', pub, '--format', 'json'])
    expect(j.code).toBe(0)
    const out = JSON.parse(j.stdout)
    expect(out.verified).toBe(true)
    expect(out.image.digest).toBe(img.digest)
    expect(out.attestations).toHaveLength(3)
  })

  it('exits 1 with the reason for the wrong key, an unsigned image, and without credentials', async () => {
    const wrong = cli([img.ref, '--key', otherPub])
    expect(wrong.code).toBe(1)
    expect(wrong.stdout).toMatch(/NOT verified/)
    expect(wrong.stdout).toMatch(/does not verify with the trusted key/)
    const unsigned = await pushUniqueImage(`sign/${uniqueName('cli-unsigned')}`, 'v1')
    const u = cli([unsigned.ref, '--key', pub])
    expect(u.code).toBe(1)
    expect(u.stdout).toMatch(/no Sigstore signature is attached/)
    const anon = spawnSync(process.execPath, [CLI, 'verify', img.ref, '--key', pub], { encoding: 'utf8' })
    expect(anon.status).toBe(1)
    expect(anon.stdout).toMatch(/requires authentication|HTTP 401/)
  }, 120_000)

  it('exits 2 on bad input, naming it', () => {
    const none = cli([img.ref])
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/give a public key \(--key\) or a certificate identity/)
    const half = cli([img.ref, '--certificate-identity-regexp', '^https://github.com/acme/'])
    expect(half.code).toBe(2)
    expect(half.stderr).toMatch(/go together/)
    const missing = cli([img.ref, '--key', path.join(dir, 'nope.pub')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/cannot read the key file .*nope\.pub: ENOENT/)
    const badRef = cli(['Not A Ref', '--key', pub])
    expect(badRef.code).toBe(2)
  })
})
