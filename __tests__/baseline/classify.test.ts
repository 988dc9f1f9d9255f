import { describe, it, expect } from '@jest/globals'
import {
  classifyFindings,
  countBaseline,
  findingKey,
  gateView,
  isImageFinding
} from '../../src/baseline/index.js'
import { evaluateGate, type Finding } from '../../src/findings.js'
import { lint, vuln } from '../publish/make.js'

const inherited = (id: string, over: Partial<Finding> = {}): Finding =>
  vuln(id, {
    layer: { digest: 'sha256:' + 'c'.repeat(64), inherited: true },
    location: { path: 'Dockerfile', startLine: 1 },
    ...over
  })

const secret = (path: string): Finding => ({
  category: 'secret',
  ruleId: 'SI5001',
  severity: 'critical',
  message: `an AWS key in ${path}`,
  imagePath: path,
  location: { path: 'Dockerfile', startLine: 5 }
})

/** A diff that marks the given lines of `Dockerfile` as changed. */
const diffOf = (...lines: number[]) => ({
  isNew: (f: Finding) => f.location?.path === 'Dockerfile' && lines.includes(f.location.startLine)
})

describe('the comparison key', () => {
  it('ignores line numbers and versions, and keeps advisory, package and ecosystem apart', () => {
    const a = vuln('CVE-1', { location: { path: 'Dockerfile', startLine: 4 } })
    const moved = vuln('CVE-1', {
      location: { path: 'Dockerfile', startLine: 9 },
      package: { name: 'libfoo', version: '1.0-9', ecosystem: 'Debian:12' }
    })
    expect(findingKey(moved)).toBe(findingKey(a))
    expect(findingKey(vuln('CVE-2'))).not.toBe(findingKey(a))
    expect(
      findingKey(vuln('CVE-1', { package: { name: 'libbar', version: '1', ecosystem: 'Debian:12' } }))
    ).not.toBe(findingKey(a))
    expect(
      findingKey(vuln('CVE-1', { package: { name: 'libfoo', version: '1', ecosystem: 'Debian:13' } }))
    ).not.toBe(findingKey(a))
  })

  it('keys secrets and image configuration by rule and path in the image', () => {
    expect(findingKey(secret('/app/.env'))).toBe(
      findingKey({ ...secret('/app/.env'), location: { path: 'Dockerfile', startLine: 99 } })
    )
    expect(findingKey(secret('/app/.env'))).not.toBe(findingKey(secret('/root/.aws/credentials')))
    expect(isImageFinding(secret('/x'))).toBe(true)
    expect(isImageFinding({ ...lint(3), category: 'config', ruleId: 'SI3001' })).toBe(true)
    expect(isImageFinding({ ...lint(3), category: 'config', ruleId: 'SI4001' })).toBe(false)
    expect(isImageFinding(lint(3))).toBe(false)
  })
})

describe('classifying against a scanned baseline', () => {
  it('new, unchanged, inherited and fixed', () => {
    const now = [
      vuln('CVE-NEW'),
      vuln('CVE-OLD', { location: { path: 'Dockerfile', startLine: 7 } }),
      inherited('CVE-BASE')
    ]
    const before = [vuln('CVE-OLD'), inherited('CVE-BASE'), vuln('CVE-GONE'), lint(2)]
    const c = classifyFindings(now, before)
    expect(now.map((f) => f.baseline)).toEqual(['new', 'unchanged', 'inherited'])
    expect(c.fixed.map((f) => f.ruleId)).toEqual(['CVE-GONE'])
    expect(c.fixed[0].baseline).toBeUndefined()
    expect(c.counts).toEqual({ new: 1, fixed: 1, unchanged: 1, inherited: 1 })
  })

  it('an inherited finding the baseline did not have is new (the base image changed)', () => {
    const now = [inherited('CVE-BASE-2')]
    classifyFindings(now, [inherited('CVE-BASE')])
    expect(now[0].baseline).toBe('new')
  })

  it('Dockerfile findings follow the diff: new on a changed line, unchanged elsewhere, new when no diff is known', () => {
    const now = [lint(2), lint(5)]
    classifyFindings(now, [], { diff: diffOf(5) })
    expect(now.map((f) => f.baseline)).toEqual(['unchanged', 'new'])
    const blind = [lint(2)]
    classifyFindings(blind, [])
    expect(blind[0].baseline).toBe('new')
  })

  it('with an attested baseline, Dockerfile findings are compared by key too', () => {
    const now = [lint(9), lint(3, { ruleId: 'DL3015' })]
    const c = classifyFindings(now, [lint(2), lint(4, { ruleId: 'DL3059' })], {
      hasDockerfileFindings: true,
      diff: diffOf(9)
    })
    expect(now.map((f) => f.baseline)).toEqual(['unchanged', 'new'])
    expect(c.fixed.map((f) => f.ruleId)).toEqual(['DL3059'])
  })

  it('counts leave ignored findings out', () => {
    const now = [vuln('CVE-NEW'), vuln('CVE-IGNORED', { suppressed: { source: 'config', reason: 'x' } })]
    const c = classifyFindings(now, [vuln('CVE-GONE')])
    expect(now[1].baseline).toBe('new')
    expect(countBaseline(now, c.fixed)).toEqual({ new: 1, fixed: 1, unchanged: 0, inherited: 0 })
  })

  it('a baseline finding listed twice is fixed once', () => {
    const c = classifyFindings(
      [],
      [
        vuln('CVE-1'),
        vuln('CVE-1', { package: { name: 'libfoo', version: '2', ecosystem: 'Debian:12', path: '/x' } })
      ]
    )
    expect(c.fixed).toHaveLength(1)
  })
})

describe('fail-on', () => {
  const findings = (): Finding[] => {
    const list = [
      vuln('CVE-NEW', { severity: 'high' }),
      vuln('CVE-OLD', { severity: 'critical' }),
      inherited('CVE-BASE', { severity: 'critical' }),
      { ...secret('/old/.env') },
      { category: 'policy', ruleId: 'SI2001', severity: 'critical', message: 'not approved' } as Finding
    ]
    classifyFindings(list, [
      vuln('CVE-OLD'),
      inherited('CVE-BASE'),
      secret('/old/.env'),
      { category: 'policy', ruleId: 'SI2001', severity: 'critical', message: 'x' }
    ])
    return list
  }

  it('all: everything gates', () => {
    expect(gateView(findings(), 'all', true)).toHaveLength(5)
  })

  it('new: only new findings, plus policy and secrets whatever their state', () => {
    const view = gateView(findings(), 'new', true)
    expect(view.map((f) => f.ruleId).sort()).toEqual(['CVE-NEW', 'SI2001', 'SI5001'])
  })

  it('new without a baseline: everything gates (nothing can be shown to be old)', () => {
    expect(gateView(findings(), 'new', false)).toHaveLength(5)
  })

  it('the gate passes with fail-on new when the only highs are old, and fails when one is new', () => {
    const old = [vuln('CVE-OLD', { severity: 'critical' }), inherited('CVE-BASE', { severity: 'high' })]
    classifyFindings(old, [vuln('CVE-OLD'), inherited('CVE-BASE')])
    expect(evaluateGate(gateView(old, 'new', true), 'high').passed).toBe(true)
    expect(evaluateGate(gateView(old, 'all', true), 'high').passed).toBe(false)
    const added = [...old, vuln('CVE-NEW', { severity: 'high' })]
    classifyFindings(added, [vuln('CVE-OLD'), inherited('CVE-BASE')])
    expect(evaluateGate(gateView(added, 'new', true), 'high').passed).toBe(false)
  })
})
