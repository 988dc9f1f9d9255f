import { describe, it, expect } from '@jest/globals'
import {
  DEFAULT_ALLOWED_REGISTRIES,
  isAllowed,
  matchingEntry,
  parseAllowlist
} from '../../src/policy/allowlist.js'
import { canonicalRepository, parseReference } from '../../src/policy/reference.js'

const allowed = (image: string, list: string): boolean =>
  isAllowed(canonicalRepository(parseReference(image)), parseAllowlist(list))

describe('parseAllowlist', () => {
  it('splits on commas and newlines, trims, drops blanks and comments, removes duplicates', () => {
    expect(
      parseAllowlist('docker.io/library, ghcr.io/acme\n\n  quay.io  \r\n# internal\nghcr.io/acme,')
    ).toEqual(['docker.io/library', 'ghcr.io/acme', 'quay.io'])
    expect(parseAllowlist(['docker.io/library', 'ghcr.io/acme,quay.io'])).toEqual([
      'docker.io/library',
      'ghcr.io/acme',
      'quay.io'
    ])
    expect(parseAllowlist('')).toEqual([])
  })

  it('normalizes the Docker Hub aliases to docker.io and the host to lower case', () => {
    expect(
      parseAllowlist('index.docker.io/library, registry-1.docker.io/acme, hub.docker.com, GHCR.io/acme/')
    ).toEqual(['docker.io/library', 'docker.io/acme', 'docker.io', 'ghcr.io/acme'])
  })

  it('accepts wildcards, ports, localhost, IP addresses and *', () => {
    expect(
      parseAllowlist('*.gcr.io, ghcr.io/acme-*, localhost:5000, 127.0.0.1:5000/team, [::1]:5000, *')
    ).toEqual(['*.gcr.io', 'ghcr.io/acme-*', 'localhost:5000', '127.0.0.1:5000/team', '[::1]:5000', '*'])
  })

  it.each([
    [
      'node',
      /must start with a registry host; for Docker Hub write "docker\.io\/node" or "docker\.io\/library\/node"/
    ],
    ['acme/app', /must start with a registry host/],
    ['https://ghcr.io/acme', /without a URL scheme/],
    ['docker.io/library/node:20', /not a tag/],
    ['docker.io/library/node@sha256:abc', /not a digest/],
    ['ghcr.io//acme', /empty path component/],
    ['ghcr.io/Acme', /"Acme" is not a valid repository path component/],
    ['-bad.io', /is not a registry host/]
  ])('rejects %s with an error naming the entry', (entry, why) => {
    expect(() => parseAllowlist(`docker.io/library, ${entry}`)).toThrow(`allowed-registries entry "${entry}"`)
    expect(() => parseAllowlist(entry)).toThrow(why)
  })

  it('defaults to the Docker Official Images', () => {
    expect(DEFAULT_ALLOWED_REGISTRIES).toEqual(['docker.io/library'])
  })
})

describe('isAllowed', () => {
  it.each([
    // prefix ending at a /
    ['node:20', 'docker.io/library', true],
    ['docker.io/library/node', 'docker.io/library', true],
    ['acme/app', 'docker.io/library', false],
    ['acme/app', 'docker.io', true],
    ['node', 'docker.io', true],
    ['ghcr.io/acme/base/node:1', 'ghcr.io/acme', true],
    ['ghcr.io/acme', 'ghcr.io/acme', true],
    ['ghcr.io/acme-evil/x', 'ghcr.io/acme', false],
    ['ghcr.io/acmex', 'ghcr.io/acme', false],
    ['ghcr.io.evil.com/acme/x', 'ghcr.io', false],
    ['ghcr.io/acme/base/node', 'ghcr.io/acme/base/node', true],
    ['ghcr.io/acme/base/nodejs', 'ghcr.io/acme/base/node', false],
    // wildcards: any run except /
    ['eu.gcr.io/proj/img', '*.gcr.io', true],
    ['gcr.io/proj/img', '*.gcr.io', false],
    ['evil.com/x.gcr.io/img', '*.gcr.io', false],
    ['ghcr.io/acme-tools/x', 'ghcr.io/acme-*', true],
    ['ghcr.io/acme/x', 'ghcr.io/acme-*', false],
    ['ghcr.io/other/acme-x', 'ghcr.io/acme-*', false],
    ['ghcr.io/a/b/c', 'ghcr.io/*/b', true],
    ['ghcr.io/a/x/b', 'ghcr.io/*/b', false],
    ['quay.io/anything/at/all', '*', true],
    ['node', '*', true],
    // Docker Hub aliases, in the list and in the image
    ['node', 'index.docker.io/library', true],
    ['index.docker.io/library/node', 'docker.io/library', true],
    ['registry-1.docker.io/library/node', 'docker.io/library', true],
    ['hub.docker.com/acme/app', 'docker.io/acme', true],
    ['registry-1.docker.io/acme/app', 'docker.io/library', false],
    // ports, localhost and IPs are their own registries
    ['localhost:5000/x', 'localhost:5000', true],
    ['localhost:5001/x', 'localhost:5000', false],
    ['localhost/x', 'localhost:5000', false],
    ['127.0.0.1:5000/x', '127.0.0.1:5000', true],
    ['127.0.0.1:5000/x', '127.0.0.1', false],
    ['[::1]:5000/repo', '[::1]:5000', true],
    // host names compare case-insensitively
    ['GHCR.IO/acme/x', 'ghcr.io/acme', true],
    // an empty list allows nothing
    ['node', '', false]
  ])('%s with [%s] → %s', (image, list, expected) => {
    expect(allowed(image, list)).toBe(expected)
  })

  it('checks every entry of a list', () => {
    const list = parseAllowlist('docker.io/library\nghcr.io/acme\n*.gcr.io')
    expect(isAllowed('ghcr.io/acme/app', list)).toBe(true)
    expect(isAllowed('quay.io/acme/app', list)).toBe(false)
    expect(matchingEntry('eu.gcr.io/p/i', list)).toBe('*.gcr.io')
    expect(matchingEntry('quay.io/p/i', list)).toBeUndefined()
  })

  it('treats regular-expression characters in an entry literally', () => {
    expect(isAllowed('ghcrXio/acme/x', parseAllowlist('ghcr.io/acme'))).toBe(false)
  })
})
