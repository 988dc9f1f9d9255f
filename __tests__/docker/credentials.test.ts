/** Pull credentials: parsing, the build's X-Registry-Config header as the engine decodes it, and the pull's. */
import { describe, it, expect } from '@jest/globals'
import {
  credentialsFor,
  parsePullCredentials,
  pullAuthConfig,
  pullCredentialSecrets,
  registryConfigHeader
} from '../../src/docker/credentials.js'
import { pushedDigest } from '../../src/docker/push.js'

describe('pull-credentials', () => {
  it('parses REGISTRY=USERNAME:PASSWORD lines; the password may hold colons', () => {
    expect(parsePullCredentials('# comment\nghcr.io=bot:p:a:ss\n\n docker.io = me:tok \n')).toEqual([
      { registry: 'ghcr.io', username: 'bot', password: 'p:a:ss' },
      { registry: 'docker.io', username: ' me', password: 'tok' }
    ])
  })

  it('names the bad line by number, never its text', () => {
    const err = (() => {
      try {
        parsePullCredentials('ghcr.io=bot:ok\nghcr.io=leaked-password-without-user\n')
      } catch (e) {
        return e as Error
      }
    })()
    expect(err?.message).toMatch(/line 2 is not REGISTRY=USERNAME:PASSWORD/)
    expect(err?.message).not.toContain('leaked-password')
    expect(pullCredentialSecrets('ghcr.io=bot:ok\nnot-a-line\n')).toEqual(['ok', 'not-a-line'])
  })

  it('picks the credentials for a reference’s registry, Docker Hub under any of its names', () => {
    const creds = parsePullCredentials('index.docker.io=hub:h\n127.0.0.1:5555=ci:c\n')
    expect(credentialsFor('node:20', creds)?.password).toBe('h')
    expect(credentialsFor('127.0.0.1:5555/acme/base:1', creds)?.password).toBe('c')
    expect(credentialsFor('ghcr.io/acme/base:1', creds)).toBeUndefined()
    expect(pullAuthConfig('node:20', creds)?.serveraddress).toBe('https://index.docker.io/v1/')
  })

  it('writes X-Registry-Config as URL-safe, padded base64 JSON keyed by registry (as the Docker CLI does)', () => {
    const header = registryConfigHeader(parsePullCredentials('docker.io=hub:h?>?\n127.0.0.1:5555=ci:c\n'))!
    expect(header).not.toMatch(/[+/]/)
    expect(header.length % 4).toBe(0)
    const map = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<
      string,
      { password: string }
    >
    expect(Object.keys(map).sort()).toEqual(['127.0.0.1:5555', 'docker.io', 'https://index.docker.io/v1/'])
    expect(map['https://index.docker.io/v1/'].password).toBe('h?>?')
    expect(registryConfigHeader([])).toBeUndefined()
  })
})

describe('the digest a push reports', () => {
  const d = `sha256:${'ab'.repeat(32)}`
  it('is read from aux.Digest (graph-driver store) or the status line (containerd store)', () => {
    expect(pushedDigest({ aux: { Tag: '1', Digest: d, Size: 528 } })).toBe(d)
    expect(pushedDigest({ status: `1: digest: ${d} size: 528` })).toBe(d)
    expect(pushedDigest({ status: 'Pushed', id: 'abc' })).toBeUndefined()
    expect(pushedDigest({ status: 'digest: sha256:short size: 1' })).toBeUndefined()
  })
})
