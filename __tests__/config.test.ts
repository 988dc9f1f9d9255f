import { describe, it, expect } from '@jest/globals'
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parseRepoConfig, loadRepoConfig } from '../src/config.js'

describe('repo config file', () => {
  it('reads every supported key', () => {
    const c = parseRepoConfig(
      [
        'allowed-registries:',
        '  - docker.io/library',
        '  - ghcr.io/acme',
        'require-digest: true',
        'severity-threshold:',
        '  default: high',
        '  vulnerability: critical',
        'ignore-unfixed: true',
        'lint:',
        '  ignored: [DL3008]',
        '  override:',
        '    error: [DL3007]',
        'ignore:',
        '  - id: CVE-2011-3374',
        '    package: apt',
        '    reason: not exploitable in a container',
        '    expires: 2030-01-31',
        'smoke-test: { enabled: true, seconds: 5 }',
        'push:',
        '  branches: [main]',
        "  tags: ['v*']"
      ].join('\n'),
      'cfg.yml'
    )
    expect(c.allowedRegistries).toEqual(['docker.io/library', 'ghcr.io/acme'])
    expect(c.requireDigest).toBe(true)
    expect(c.severityThreshold).toEqual({ default: 'high', vulnerability: 'critical' })
    expect(c.ignoreUnfixed).toBe(true)
    expect(c.lint?.ignored).toEqual(['DL3008'])
    expect(c.lint?.override.error).toEqual(['DL3007'])
    expect(c.ignore).toEqual([
      { id: 'CVE-2011-3374', package: 'apt', reason: 'not exploitable in a container', expires: '2030-01-31' }
    ])
    expect(c.smokeTest).toEqual({ enabled: true, seconds: 5 })
    expect(c.push).toEqual({ branches: ['main'], tags: ['v*'] })
  })

  it('names an unknown key and its line', () => {
    expect(() => parseRepoConfig('require-digest: true\nallowed-registry: [x]\n', 'cfg.yml')).toThrow(
      'cfg.yml:2: allowed-registry: unknown key "allowed-registry"'
    )
  })

  it('names a nested unknown key and its line', () => {
    expect(() =>
      parseRepoConfig('ignore:\n  - id: CVE-1\n    reason: r\n    expiry: 2030-01-01\n', 'c.yml')
    ).toThrow(/c\.yml:4: ignore\.0\.expiry: unknown key/)
  })

  it('names a wrong type and its line', () => {
    expect(() => parseRepoConfig('ignore-unfixed: true\nrequire-digest: "yes"\n', 'c.yml')).toThrow(
      /c\.yml:2: require-digest/
    )
    expect(() => parseRepoConfig('severity-threshold: urgent\n', 'c.yml')).toThrow(
      /c\.yml:1: severity-threshold/
    )
  })

  it('requires a reason for every ignore and a real date', () => {
    expect(() => parseRepoConfig('ignore:\n  - id: CVE-1\n', 'c.yml')).toThrow(/ignore\.0\.reason/)
    expect(() =>
      parseRepoConfig('ignore:\n  - id: CVE-1\n    reason: r\n    expires: soon\n', 'c.yml')
    ).toThrow(/c\.yml:4: ignore\.0\.expires/)
  })

  it('reports invalid YAML with a line', () => {
    expect(() => parseRepoConfig('a: [1,\nb: 2\n', 'c.yml')).toThrow(/c\.yml:\d+: invalid YAML/)
  })

  it('treats a missing default file as absent and an unreadable file as an error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'si-cfg-'))
    expect(loadRepoConfig(path.join(dir, 'none.yml'), false)).toBeUndefined()
    const f = path.join(dir, 'secret.yml')
    writeFileSync(f, 'require-digest: true\n')
    chmodSync(f, 0o000)
    if (process.getuid?.() === 0) {
      // root reads any file; a directory in its place is unreadable as a file for everyone
      expect(() => loadRepoConfig(dir, true)).toThrow(/cannot read config file/)
    } else {
      expect(() => loadRepoConfig(f, true)).toThrow(/cannot read config file/)
    }
  })
})
