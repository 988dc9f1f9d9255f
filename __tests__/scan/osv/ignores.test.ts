import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, it, expect } from '@jest/globals'
import {
  applyIgnores,
  loadIgnoreFiles,
  parseIgnoreFile,
  type IgnoreEntry
} from '../../../src/scan/ignores.js'
import type { Finding } from '../../../src/findings.js'

const vuln = (id: string, aliases: string[], pkg = 'libpam0g', source = 'pam'): Finding => ({
  category: 'vulnerability',
  ruleId: id,
  severity: 'high',
  message: `${pkg} is affected by ${id}`,
  location: { path: 'Dockerfile', startLine: 1 },
  package: { name: pkg, version: '1', ecosystem: 'Debian:12', source, purl: `pkg:deb/debian/${pkg}@1` },
  vulnerability: { id, aliases }
})
const lint: Finding = {
  category: 'lint',
  ruleId: 'DL3008',
  severity: 'medium',
  message: 'pin versions',
  location: { path: 'app/Dockerfile', startLine: 3 }
}
const NOW = new Date('2026-06-15T12:00:00Z')

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ignores-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('ignore files', () => {
  it('reads a YAML .secure-image-ignore and a .trivyignore', () => {
    writeFileSync(
      path.join(dir, '.secure-image-ignore'),
      [
        '- id: CVE-2026-10003',
        '  package: libpam0g',
        '  reason: not reachable, no PAM in the image',
        '  expires: 2026-12-31',
        '- id: DL3008',
        '  path: app/Dockerfile'
      ].join('\n')
    )
    writeFileSync(
      path.join(dir, '.trivyignore'),
      '# accepted\nCVE-2011-3374\nCVE-2016-2781 exp:2026-01-01\n\n'
    )
    expect(loadIgnoreFiles(dir)).toEqual([
      {
        id: 'CVE-2026-10003',
        package: 'libpam0g',
        reason: 'not reachable, no PAM in the image',
        expires: '2026-12-31',
        source: '.secure-image-ignore'
      },
      { id: 'DL3008', path: 'app/Dockerfile', source: '.secure-image-ignore' },
      { id: 'CVE-2011-3374', source: '.trivyignore' },
      { id: 'CVE-2016-2781', expires: '2026-01-01', source: '.trivyignore' }
    ])
  })

  it('accepts one id per line in .secure-image-ignore, with a # reason', () => {
    expect(
      parseIgnoreFile('CVE-1 # false positive\nGHSA-x exp:2027-01-01\n', '.secure-image-ignore')
    ).toEqual([
      { id: 'CVE-1', reason: 'false positive', source: '.secure-image-ignore' },
      { id: 'GHSA-x', expires: '2027-01-01', source: '.secure-image-ignore' }
    ])
  })

  it('reads .trivyignore.yaml with paths, purls, statement and expired_at', () => {
    writeFileSync(
      path.join(dir, '.trivyignore.yaml'),
      [
        'vulnerabilities:',
        '  - id: CVE-2022-40897',
        '    paths:',
        '      - "usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA"',
        '    statement: Accept the risk',
        '  - id: CVE-2023-27534',
        '    purls: ["pkg:deb/debian/curl", "pkg:deb/debian/libcurl4"]',
        '    expired_at: 2023-09-01',
        'secrets:',
        '  - id: aws-access-key-id'
      ].join('\n')
    )
    expect(loadIgnoreFiles(dir)).toEqual([
      {
        id: 'CVE-2022-40897',
        path: 'usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA',
        reason: 'Accept the risk',
        source: '.trivyignore.yaml'
      },
      {
        id: 'CVE-2023-27534',
        package: 'pkg:deb/debian/curl',
        expires: '2023-09-01',
        source: '.trivyignore.yaml'
      },
      {
        id: 'CVE-2023-27534',
        package: 'pkg:deb/debian/libcurl4',
        expires: '2023-09-01',
        source: '.trivyignore.yaml'
      },
      { id: 'aws-access-key-id', source: '.trivyignore.yaml' }
    ])
  })

  it('gives no entries without files, and an actionable error for a bad entry', () => {
    expect(loadIgnoreFiles(dir)).toEqual([])
    writeFileSync(path.join(dir, '.secure-image-ignore'), '- reason: no id\n')
    expect(() => loadIgnoreFiles(dir)).toThrow('.secure-image-ignore: entry 1 has no "id"')
  })
})

describe('applyIgnores', () => {
  const findings = [
    vuln('DEBIAN-CVE-2026-10003', ['CVE-2026-10003']),
    vuln('DEBIAN-CVE-2026-10003', ['CVE-2026-10003'], 'libpam-runtime'),
    vuln('DEBIAN-CVE-2011-3374', ['CVE-2011-3374'], 'apt', 'apt'),
    lint
  ]

  it('marks matches by alias, package and path as suppressed, and never drops a finding', () => {
    const entries: IgnoreEntry[] = [
      {
        id: 'CVE-2026-10003',
        package: 'libpam0g',
        reason: 'not reachable',
        expires: '2026-12-31',
        source: '.secure-image-ignore'
      },
      { id: 'dl3008', path: 'app/Dockerfile', source: 'config' }
    ]
    const { findings: out, warnings } = applyIgnores(findings, entries, NOW)
    expect(warnings).toEqual([])
    expect(out).toHaveLength(findings.length)
    expect(out.map((f) => f.suppressed)).toEqual([
      { source: '.secure-image-ignore', reason: 'not reachable', expires: '2026-12-31' },
      undefined,
      undefined,
      { source: 'config' }
    ])
    expect(findings[0].suppressed).toBeUndefined()
  })

  it('matches by the advisory id and by source package name', () => {
    const out = applyIgnores(
      findings,
      [{ id: 'DEBIAN-CVE-2026-10003', package: 'pam', source: '.trivyignore' }],
      NOW
    ).findings
    expect(out.map((f) => Boolean(f.suppressed))).toEqual([true, true, false, false])
  })

  it('matches a package given as a purl without version or qualifiers, and an image path by prefix', () => {
    const out = applyIgnores(
      findings,
      [{ id: 'CVE-2011-3374', package: 'pkg:deb/debian/apt', source: '.trivyignore.yaml' }],
      NOW
    ).findings
    expect(out.map((f) => Boolean(f.suppressed))).toEqual([false, false, true, false])
    const secret: Finding = {
      category: 'secret',
      ruleId: 'aws-access-key-id',
      severity: 'critical',
      message: 'key',
      imagePath: '/app/config/prod.env'
    }
    const byPath = (p: string): boolean =>
      Boolean(
        applyIgnores(
          [secret],
          [
            {
              id: 'aws-access-key-id',
              path: p,
              source: 'secure-image.yml',
              fromConfig: true,
              reason: 'a test key',
              expires: '2026-12-31'
            }
          ],
          NOW
        ).findings[0].suppressed
      )
    expect([byPath('app/config'), byPath('/app/config/prod.env'), byPath('app/conf')]).toEqual([
      true,
      true,
      false
    ])
  })

  it('stops applying an expired entry (after the end of its day), with a warning', () => {
    const entries: IgnoreEntry[] = [
      { id: 'CVE-2011-3374', expires: '2026-06-14', source: '.trivyignore' },
      { id: 'CVE-2026-10003', expires: '2026-06-15', source: '.trivyignore' },
      { id: 'DL3008', expires: 'soon', source: 'config' }
    ]
    const { findings: out, warnings } = applyIgnores(findings, entries, NOW)
    expect(out.map((f) => Boolean(f.suppressed))).toEqual([true, true, false, false])
    expect(warnings).toEqual([
      'ignore entry CVE-2011-3374 in .trivyignore expired on 2026-06-14; it no longer applies',
      'ignore entry DL3008 in config has an invalid expires date "soon" (want YYYY-MM-DD); it does not apply'
    ])
  })
})
