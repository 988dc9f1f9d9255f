/**
 * Who may ignore what, through the real pipeline (lint and policy, no build): an ignore file in the repository
 * cannot switch off the policy or secret gates, and ignores apply before restated findings are dropped.
 */
import { describe, it, expect, afterEach } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveInputs } from '../src/inputs.js'
import { ignoreThenDropRestated, runPipeline, type Logger } from '../src/pipeline.js'
import { applyIgnores, type IgnoreEntry } from '../src/scan/ignores.js'
import type { Finding } from '../src/findings.js'

const log: Logger = {
  info: () => {},
  warning: () => {},
  group: (_n, fn) => fn(),
  untrusted: (fn) => fn(() => {})
}
const NOW = new Date('2026-06-15T12:00:00Z')
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'si-ignores-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  return dir
}

async function policyRun(files: Record<string, string>) {
  const dir = repo({ Dockerfile: 'FROM ghcr.io/evil/base:1\nUSER 10001\n', ...files })
  const inputs = resolveInputs({}, { cwd: dir })
  const r = await runPipeline(
    inputs,
    { eventName: 'push', ref: 'refs/heads/main', sha: 'a'.repeat(40) },
    undefined,
    log,
    { build: false, push: false, now: NOW },
    dir
  )
  const si2001 = r.report.findings.find((f) => f.ruleId === 'SI2001')
  return { r, si2001 }
}

describe('ignores of policy findings', () => {
  it.each(['.trivyignore', '.secure-image-ignore'])(
    'a %s cannot ignore SI2001: the gate still fails',
    async (file) => {
      const { r, si2001 } = await policyRun({ [file]: 'SI2001\n' })
      expect(si2001).toBeDefined()
      expect(si2001?.suppressed).toBeUndefined()
      expect(r.report.gate.passed).toBe(false)
      expect(r.warnings.join('\n')).toMatch(
        new RegExp(
          `ignore entry SI2001 in ${file.replace('.', '\\.')} does not apply to the policy finding SI2001`
        )
      )
    }
  )

  it('the config file can ignore SI2001 only with a reason and an expiry', async () => {
    const withExpiry = await policyRun({
      '.github/secure-image.yml':
        'ignore:\n  - id: SI2001\n    reason: migration to the approved mirror\n    expires: 2026-07-01\n'
    })
    expect(withExpiry.si2001?.suppressed).toMatchObject({
      reason: 'migration to the approved mirror',
      expires: '2026-07-01'
    })
    expect(withExpiry.r.report.gate.passed).toBe(true)

    const noExpiry = await policyRun({
      '.github/secure-image.yml': 'ignore:\n  - id: SI2001\n    reason: migration to the approved mirror\n'
    })
    expect(noExpiry.si2001?.suppressed).toBeUndefined()
    expect(noExpiry.r.report.gate.passed).toBe(false)
    expect(noExpiry.r.warnings.join('\n')).toMatch(/needs both a reason and an expires date/)
  })
})

describe('ignores by category', () => {
  const secret: Finding = {
    category: 'secret',
    ruleId: 'aws-access-key-id',
    severity: 'critical',
    message: 'key',
    imagePath: '/app/.env'
  }
  const lint: Finding = { category: 'lint', ruleId: 'DL3008', severity: 'medium', message: 'pin' }
  const vuln: Finding = {
    category: 'vulnerability',
    ruleId: 'CVE-2011-3374',
    severity: 'low',
    message: 'apt',
    vulnerability: { id: 'CVE-2011-3374', aliases: [] }
  }
  const suppressed = (f: Finding, e: IgnoreEntry): boolean =>
    Boolean(applyIgnores([f], [e], NOW).findings[0].suppressed)

  it('applies .trivyignore and .trivyignore.yaml to vulnerabilities only', () => {
    expect(suppressed(vuln, { id: 'CVE-2011-3374', source: '.trivyignore' })).toBe(true)
    expect(suppressed(lint, { id: 'DL3008', source: '.trivyignore' })).toBe(false)
    expect(suppressed(secret, { id: 'aws-access-key-id', source: '.trivyignore.yaml' })).toBe(false)
    expect(suppressed(lint, { id: 'DL3008', source: '.secure-image-ignore' })).toBe(true)
  })

  it('ignores a secret only from the config file, with a reason and an expiry', () => {
    const e = {
      id: 'aws-access-key-id',
      source: '.secure-image-ignore',
      reason: 'test key',
      expires: '2026-12-31'
    }
    expect(suppressed(secret, e)).toBe(false)
    expect(suppressed(secret, { ...e, source: 'secure-image.yml', fromConfig: true })).toBe(true)
    expect(
      suppressed(secret, { id: 'aws-access-key-id', source: 'c.yml', fromConfig: true, reason: 'x' })
    ).toBe(false)
  })
})

describe('ignores apply before restated findings are dropped', () => {
  const dl3002: Finding = {
    category: 'lint',
    ruleId: 'DL3002',
    severity: 'medium',
    message: 'last USER should not be root',
    location: { path: 'Dockerfile', startLine: 2 }
  }
  const si3001: Finding = {
    category: 'config',
    ruleId: 'SI3001',
    severity: 'medium',
    message: 'the image runs as root'
  }

  it('drops SI3001 while DL3002 states the cause', () => {
    const out = ignoreThenDropRestated([dl3002, si3001], [], NOW).findings
    expect(out.map((f) => f.ruleId)).toEqual(['DL3002'])
  })

  it('keeps SI3001 when DL3002 is ignored', () => {
    const out = ignoreThenDropRestated(
      [dl3002, si3001],
      [{ id: 'DL3002', source: 'secure-image.yml', fromConfig: true, reason: 'r' }],
      NOW
    ).findings
    expect(out.map((f) => [f.ruleId, Boolean(f.suppressed)])).toEqual([
      ['DL3002', true],
      ['SI3001', false]
    ])
  })
})
