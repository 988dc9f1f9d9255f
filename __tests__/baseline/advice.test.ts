import { describe, it, expect } from '@jest/globals'
import { baselineTarget, inheritedDominate, newerTag } from '../../src/baseline/index.js'
import { vuln } from '../publish/make.js'

describe('the newer tag of a base', () => {
  it('picks the highest tag of the same line', () => {
    expect(newerTag('12.1', ['12.0', '12.1', '12.4', '12.10', '13.0', 'latest', '12.2-slim'])).toBe('12.10')
    expect(newerTag('1.0', ['1.0', '1.1', '2.0'])).toBe('1.1')
    expect(newerTag('v3.19.1', ['v3.19.0', 'v3.19.4', '3.19.9', 'v3.20.0'])).toBe('v3.20.0')
  })

  it('keeps the suffix and the number of parts', () => {
    expect(newerTag('12.1-slim', ['12.2', '12.3-slim', '12.4-slim-arm'])).toBe('12.3-slim')
    expect(newerTag('12', ['12.1', '13', '14'])).toBe('14')
  })

  it('finds none for names and for the newest', () => {
    expect(newerTag('bookworm', ['bookworm', 'trixie'])).toBeUndefined()
    expect(newerTag('1.2', ['1.0', '1.2'])).toBeUndefined()
  })
})

describe('inherited findings dominate', () => {
  const base = { digest: 'sha256:' + 'c'.repeat(64), inherited: true }
  it('at least half of the unsuppressed vulnerabilities, and at least one', () => {
    expect(inheritedDominate([vuln('A', { layer: base }), vuln('B')]).dominate).toBe(true)
    expect(inheritedDominate([vuln('A', { layer: base }), vuln('B'), vuln('C')]).dominate).toBe(false)
    expect(inheritedDominate([vuln('B')]).dominate).toBe(false)
    expect(inheritedDominate([]).dominate).toBe(false)
    const r = inheritedDominate([
      vuln('A', { layer: base }),
      vuln('B', { layer: base, suppressed: { source: 'config' } }),
      vuln('C')
    ])
    expect(r).toEqual({ inherited: 1, total: 2, dominate: true })
  })
})

describe('which image is the baseline', () => {
  const pr = { eventName: 'pull_request', ref: 'refs/pull/7/merge', sha: 'f00dfacecafe', prNumber: 7 }
  it('for a pull request: the tag a push to its base branch produces', () => {
    expect(baselineTarget('auto', 'ghcr.io/acme/app', [], { ...pr, baseRef: 'main' })).toEqual({
      ref: 'ghcr.io/acme/app:main'
    })
    expect(baselineTarget('auto', 'ghcr.io/acme/app', [], { ...pr, baseRef: 'release/1.x' })).toEqual({
      ref: 'ghcr.io/acme/app:release-1.x'
    })
    // fixed tags are what every push produces
    expect(
      baselineTarget('auto', 'ghcr.io/acme/app', ['stable', 'edge'], { ...pr, baseRef: 'main' })
    ).toEqual({
      ref: 'ghcr.io/acme/app:stable'
    })
    expect(baselineTarget('auto', 'ghcr.io/acme/app', [], pr).reason).toMatch(/no base branch/)
  })

  it('for a push: what the run’s first tag holds now', () => {
    const push = { eventName: 'push', ref: 'refs/heads/main', sha: 'f00dfacecafe' }
    expect(baselineTarget('auto', 'ghcr.io/acme/app', [], push)).toEqual({ ref: 'ghcr.io/acme/app:main' })
  })

  it('an explicit reference, or none', () => {
    expect(baselineTarget('ghcr.io/acme/app:v1', 'x', [], pr)).toEqual({ ref: 'ghcr.io/acme/app:v1' })
    expect(baselineTarget('none', 'x', [], pr).reason).toMatch(/turned off/)
    expect(baselineTarget('auto', '', [], { ...pr, baseRef: 'main' }).reason).toMatch(/no `image` is set/)
    expect(baselineTarget('auto', '', ['ghcr.io/acme/app:edge'], { ...pr, baseRef: 'main' })).toEqual({
      ref: 'ghcr.io/acme/app:edge'
    })
  })
})
