import { describe, it, expect } from '@jest/globals'
import { buildAnnotations, findingMessage, levelFor, writeCommands } from '../../src/publish/annotations.js'
import type { Finding } from '../../src/findings.js'
import { ChangedLines } from '../../src/publish/changes.js'
import { lint, vuln } from './make.js'

describe('levelFor', () => {
  it('maps severity to annotation level', () => {
    expect(levelFor('critical')).toBe('failure')
    expect(levelFor('high')).toBe('failure')
    expect(levelFor('medium')).toBe('warning')
    expect(levelFor('low')).toBe('notice')
    expect(levelFor('info')).toBe('notice')
  })
})

describe('buildAnnotations', () => {
  it('annotates located, not-ignored findings with the rule id as title and the fix in the message', () => {
    const out = buildAnnotations([
      lint(3),
      lint(4, { suppressed: { source: 'pragma' } }),
      lint(0, { location: undefined, imagePath: '/etc/shadow', category: 'config' })
    ])
    expect(out).toHaveLength(1)
    expect(out[0]).toMatchObject({
      path: 'Dockerfile',
      startLine: 3,
      endLine: 3,
      level: 'warning',
      title: 'DL3008'
    })
    expect(out[0].message).toBe(
      'Pin versions in apt get install.\nFix: Use `apt-get install <package>=<version>`.'
    )
  })

  it('puts findings on lines the pull request changed first, then by severity', () => {
    const changed = ChangedLines.fromPullFiles([{ filename: 'Dockerfile', patch: '@@ -7,0 +8,1 @@\n+RUN x' }])
    const out = buildAnnotations([lint(2, { severity: 'critical' }), lint(8, { severity: 'low' }), lint(5)], {
      changed
    })
    expect(out.map((a) => a.startLine)).toEqual([8, 2, 5])
  })

  it('groups vulnerabilities inherited from the base into one annotation on the FROM line', () => {
    const from = { path: 'Dockerfile', startLine: 1, endLine: 1 }
    const inherited = Array.from({ length: 30 }, (_, i) =>
      vuln(`CVE-2024-${1000 + i}`, {
        severity: i === 7 ? 'critical' : 'medium',
        location: from,
        layer: { digest: 'sha256:x', inherited: true },
        vulnerability: { id: `CVE-2024-${1000 + i}`, aliases: [], fixedVersion: i < 12 ? '2.0' : undefined }
      })
    )
    const own = vuln('CVE-2025-1', { location: { path: 'Dockerfile', startLine: 4 } })
    const out = buildAnnotations([...inherited, own], { baseImage: 'debian:12' })
    expect(out).toHaveLength(2)
    const group = out.find((a) => a.startLine === 1)!
    expect(group.level).toBe('failure') // the most severe of the group: critical
    expect(group.message).toContain(
      '30 vulnerabilities inherited from debian:12, 12 fixable; upgrade the base'
    )
    expect(group.message).toContain('CVE-2024-1007 (critical')
    const mine = out.find((a) => a.startLine === 4)!
    expect(mine.title).toBe('CVE-2025-1')
    expect(mine.message).toContain('Fix: upgrade libfoo to 1.0-2 or later.')
  })
})

describe('writeCommands', () => {
  it('writes at most the budget of each type and counts the rest', () => {
    const findings = [
      ...Array.from({ length: 14 }, (_, i) => lint(i + 1, { severity: 'high' })),
      ...Array.from({ length: 3 }, (_, i) => lint(i + 20, { severity: 'medium' })),
      ...Array.from({ length: 12 }, (_, i) => lint(i + 30, { severity: 'info' }))
    ]
    const lines: string[] = []
    const res = writeCommands(buildAnnotations(findings), { error: 9, warning: 10, notice: 9 }, (l) =>
      lines.push(l)
    )
    expect(lines.filter((l) => l.startsWith('::error ')).length).toBe(9)
    expect(lines.filter((l) => l.startsWith('::warning ')).length).toBe(3)
    expect(lines.filter((l) => l.startsWith('::notice ')).length).toBe(9)
    expect(res).toEqual({ written: 21, omitted: 8, omittedByType: { error: 5, warning: 0, notice: 3 } })
    expect(lines[0]).toBe(
      '::error file=Dockerfile,line=1,title=DL3008::Pin versions in apt get install.%0AFix: Use `apt-get install <package>=<version>`.'
    )
  })
})

describe('findingMessage', () => {
  const withMessage = (message: string): Finding => ({
    category: 'vulnerability',
    ruleId: 'DEBIAN-CVE-2024-1',
    severity: 'high',
    message,
    package: { name: 'libc6', version: '2.36-9', ecosystem: 'Debian:12', source: 'glibc' },
    vulnerability: { id: 'DEBIAN-CVE-2024-1', aliases: [], fixedVersion: '2.36-10' }
  })

  it('names the package first unless the message already does', () => {
    expect(findingMessage(withMessage('glibc is affected')).split('\n')[0]).toBe(
      'libc6 2.36-9: glibc is affected'
    )
    expect(findingMessage(withMessage('libc6 2.36-9 (glibc) is affected')).split('\n')[0]).toBe(
      'libc6 2.36-9 (glibc) is affected'
    )
  })
})
