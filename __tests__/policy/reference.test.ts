/**
 * Table tests for image reference parsing, from the test tables of the Docker distribution library
 * (github.com/distribution/reference: normalize_test.go, reference_test.go) and go-digest (digest_test.go).
 */
import { describe, it, expect } from '@jest/globals'
import {
  InvalidReferenceError,
  canonicalRepository,
  familiarName,
  familiarString,
  parseReference,
  referenceString
} from '../../src/policy/reference.js'

const HEX64 = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'
const HEX128 = HEX64 + HEX64
const REDIS_DIGEST = 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c'

function reason(s: string): string {
  try {
    parseReference(s)
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidReferenceError)
    return (err as InvalidReferenceError).reason
  }
  throw new Error(`expected "${s}" to be rejected`)
}

describe('parseReference: valid repository names (TestValidateReferenceName)', () => {
  const valid = [
    'docker/docker',
    'library/debian',
    'debian',
    'docker.io/docker/docker',
    'docker.io/library/debian',
    'docker.io/debian',
    'index.docker.io/docker/docker',
    'index.docker.io/library/debian',
    'index.docker.io/debian',
    '127.0.0.1:5000/docker/docker',
    '127.0.0.1:5000/library/debian',
    '127.0.0.1:5000/debian',
    '192.168.0.1',
    '192.168.0.1:80',
    '192.168.0.1:8/debian',
    '192.168.0.2:25000/debian',
    'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
    '[fc00::1]:5000/docker',
    '[fc00::1]:5000/docker/docker',
    '[fc00:1:2:3:4:5:6:7]:5000/library/debian',
    'docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
    'Docker/docker',
    'DOCKER/docker',
    // TestValidateRemoteName
    'docker-rules/docker',
    'docker---rules/docker',
    'doc/docker',
    'd/docker',
    'jess/t',
    'dock__er/docker'
  ]
  it.each(valid)('accepts %s', (s) => {
    expect(() => parseReference(s)).not.toThrow()
  })
})

describe('parseReference: invalid repository names', () => {
  const invalid = [
    'https://github.com/docker/docker',
    'docker/Docker',
    '-docker',
    '-docker/docker',
    '-docker.io/docker/docker',
    'docker///docker',
    'docker.io/docker/Docker',
    'docker.io/docker///docker',
    '[fc00::1]',
    '[fc00::1]:5000',
    'fc00::1:5000/debian',
    '[fe80::1%eth0]:5000/debian',
    '[2001:db8:3:4::192.0.2.33]:5000/debian',
    '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
    // TestValidateRemoteName
    'docker-/docker',
    '-docker-/docker',
    '____/____',
    '_docker/_docker',
    'dock..er/docker',
    'dock_.er/docker',
    'dock-.er/docker',
    'docker/',
    'this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker',
    // reference_test.go
    '',
    ':justtag',
    '@sha256:' + HEX64,
    'aa/asdf$$^/aa',
    '[2001:db8::1]',
    '[2001:db8::1]:5000',
    '[2001:db8::1]:tag',
    '[fe80::1%eth0]:5000/repo',
    '[fe80::1%@invalidzone]:5000/repo',
    'Uppercase:tag',
    'test:5000/Uppercase/lowercase:tag'
  ]
  it.each(invalid)('rejects %s', (s) => {
    expect(() => parseReference(s)).toThrow(InvalidReferenceError)
  })
})

describe('parseReference: normalization, domain and path (TestParseRepositoryInfo)', () => {
  const cases: { remote: string; familiar: string; full: string; ambiguous?: string; domain: string }[] = [
    {
      remote: 'fooo/bar',
      familiar: 'fooo/bar',
      full: 'docker.io/fooo/bar',
      ambiguous: 'index.docker.io/fooo/bar',
      domain: 'docker.io'
    },
    {
      remote: 'library/ubuntu',
      familiar: 'ubuntu',
      full: 'docker.io/library/ubuntu',
      ambiguous: 'library/ubuntu',
      domain: 'docker.io'
    },
    {
      remote: 'nonlibrary/ubuntu',
      familiar: 'nonlibrary/ubuntu',
      full: 'docker.io/nonlibrary/ubuntu',
      domain: 'docker.io'
    },
    {
      remote: 'other/library',
      familiar: 'other/library',
      full: 'docker.io/other/library',
      domain: 'docker.io'
    },
    {
      remote: 'private/moonbase',
      familiar: '127.0.0.1:8000/private/moonbase',
      full: '127.0.0.1:8000/private/moonbase',
      domain: '127.0.0.1:8000'
    },
    {
      remote: 'privatebase',
      familiar: '127.0.0.1:8000/privatebase',
      full: '127.0.0.1:8000/privatebase',
      domain: '127.0.0.1:8000'
    },
    {
      remote: 'private/moonbase',
      familiar: 'example.com/private/moonbase',
      full: 'example.com/private/moonbase',
      domain: 'example.com'
    },
    {
      remote: 'privatebase',
      familiar: 'example.com/privatebase',
      full: 'example.com/privatebase',
      domain: 'example.com'
    },
    {
      remote: 'private/moonbase',
      familiar: 'example.com:8000/private/moonbase',
      full: 'example.com:8000/private/moonbase',
      domain: 'example.com:8000'
    },
    {
      remote: 'privatebasee',
      familiar: 'example.com:8000/privatebasee',
      full: 'example.com:8000/privatebasee',
      domain: 'example.com:8000'
    },
    {
      remote: 'library/ubuntu-12.04-base',
      familiar: 'ubuntu-12.04-base',
      full: 'docker.io/library/ubuntu-12.04-base',
      ambiguous: 'index.docker.io/library/ubuntu-12.04-base',
      domain: 'docker.io'
    },
    {
      remote: 'library/foo',
      familiar: 'foo',
      full: 'docker.io/library/foo',
      ambiguous: 'docker.io/foo',
      domain: 'docker.io'
    },
    {
      remote: 'library/foo/bar',
      familiar: 'library/foo/bar',
      full: 'docker.io/library/foo/bar',
      domain: 'docker.io'
    },
    {
      remote: 'store/foo/bar',
      familiar: 'store/foo/bar',
      full: 'docker.io/store/foo/bar',
      domain: 'docker.io'
    },
    { remote: 'bar', familiar: 'Foo/bar', full: 'Foo/bar', domain: 'Foo' },
    { remote: 'bar', familiar: 'FOO/bar', full: 'FOO/bar', domain: 'FOO' }
  ]
  for (const tc of cases) {
    for (const input of [tc.familiar, tc.full, ...(tc.ambiguous ? [tc.ambiguous] : [])]) {
      it(`${input} → ${tc.full}`, () => {
        const ref = parseReference(input)
        expect(ref.name).toBe(tc.full)
        expect(ref.domain).toBe(tc.domain)
        expect(ref.path).toBe(tc.remote)
        expect(familiarName(ref)).toBe(tc.familiar)
      })
    }
  }
})

describe('parseReference: domain/path split (TestNormalizedSplitHostname)', () => {
  const cases: [string, string, string][] = [
    ['test.com/foo', 'test.com', 'foo'],
    ['test_com/foo', 'docker.io', 'test_com/foo'],
    ['docker/migrator', 'docker.io', 'docker/migrator'],
    ['test.com:8080/foo', 'test.com:8080', 'foo'],
    ['test-com:8080/foo', 'test-com:8080', 'foo'],
    ['foo', 'docker.io', 'library/foo'],
    ['xn--n3h.com/foo', 'xn--n3h.com', 'foo'],
    ['xn--n3h.com:18080/foo', 'xn--n3h.com:18080', 'foo'],
    ['docker.io/foo', 'docker.io', 'library/foo'],
    ['docker.io/library/foo', 'docker.io', 'library/foo'],
    ['docker.io/library/foo/bar', 'docker.io', 'library/foo/bar'],
    // from the issue
    ['node:20', 'docker.io', 'library/node'],
    ['acme/app', 'docker.io', 'acme/app'],
    ['localhost:5000/x', 'localhost:5000', 'x'],
    ['localhost/x', 'localhost', 'x'],
    ['127.0.0.1:5000/x', '127.0.0.1:5000', 'x'],
    ['index.docker.io/node', 'docker.io', 'library/node'],
    ['ghcr.io/a/b/c:tag', 'ghcr.io', 'a/b/c']
  ]
  it.each(cases)('%s → domain %s, path %s', (input, domain, path) => {
    const ref = parseReference(input)
    expect(ref.domain).toBe(domain)
    expect(ref.path).toBe(path)
    expect(ref.name).toBe(`${domain}/${path}`)
  })

  it('takes bare localhost as a Docker Hub repository, as Docker does', () => {
    expect(parseReference('localhost').name).toBe('docker.io/library/localhost')
  })
})

describe('parseReference: tags, digests and ports (TestReferenceParse, normalized)', () => {
  const cases: { input: string; name: string; domain: string; tag?: string; digest?: string }[] = [
    { input: 'test_com', name: 'docker.io/library/test_com', domain: 'docker.io' },
    { input: 'test.com:tag', name: 'docker.io/library/test.com', domain: 'docker.io', tag: 'tag' },
    { input: 'test.com:5000', name: 'docker.io/library/test.com', domain: 'docker.io', tag: '5000' },
    { input: 'test.com/repo:tag', name: 'test.com/repo', domain: 'test.com', tag: 'tag' },
    { input: 'test:5000/repo', name: 'test:5000/repo', domain: 'test:5000' },
    { input: 'test:5000/repo:tag', name: 'test:5000/repo', domain: 'test:5000', tag: 'tag' },
    {
      input: `test:5000/repo@sha256:${HEX64}`,
      name: 'test:5000/repo',
      domain: 'test:5000',
      digest: `sha256:${HEX64}`
    },
    {
      input: `test:5000/repo:tag@sha256:${HEX64}`,
      name: 'test:5000/repo',
      domain: 'test:5000',
      tag: 'tag',
      digest: `sha256:${HEX64}`
    },
    {
      input: 'lowercase:Uppercase',
      name: 'docker.io/library/lowercase',
      domain: 'docker.io',
      tag: 'Uppercase'
    },
    {
      input: 'sub-dom1.foo.com/bar/baz/quux',
      name: 'sub-dom1.foo.com/bar/baz/quux',
      domain: 'sub-dom1.foo.com'
    },
    {
      input: 'sub-dom1.foo.com/bar/baz/quux:some-long-tag',
      name: 'sub-dom1.foo.com/bar/baz/quux',
      domain: 'sub-dom1.foo.com',
      tag: 'some-long-tag'
    },
    {
      input: 'b.gcr.io/test.example.com/my-app:test.example.com',
      name: 'b.gcr.io/test.example.com/my-app',
      domain: 'b.gcr.io',
      tag: 'test.example.com'
    },
    {
      input: 'xn--n3h.com/myimage:xn--n3h.com',
      name: 'xn--n3h.com/myimage',
      domain: 'xn--n3h.com',
      tag: 'xn--n3h.com'
    },
    {
      input: `xn--7o8h.com/myimage:xn--7o8h.com@sha512:${HEX128}`,
      name: 'xn--7o8h.com/myimage',
      domain: 'xn--7o8h.com',
      tag: 'xn--7o8h.com',
      digest: `sha512:${HEX128}`
    },
    { input: 'foo_bar.com:8080', name: 'docker.io/library/foo_bar.com', domain: 'docker.io', tag: '8080' },
    { input: 'foo/foo_bar.com:8080', name: 'docker.io/foo/foo_bar.com', domain: 'docker.io', tag: '8080' },
    { input: '192.168.1.1', name: 'docker.io/library/192.168.1.1', domain: 'docker.io' },
    { input: '192.168.1.1:tag', name: 'docker.io/library/192.168.1.1', domain: 'docker.io', tag: 'tag' },
    { input: '192.168.1.1/repo', name: '192.168.1.1/repo', domain: '192.168.1.1' },
    { input: '192.168.1.1:5000/repo', name: '192.168.1.1:5000/repo', domain: '192.168.1.1:5000' },
    {
      input: '192.168.1.1:5000/repo:5050',
      name: '192.168.1.1:5000/repo',
      domain: '192.168.1.1:5000',
      tag: '5050'
    },
    { input: '[2001:db8::1]/repo', name: '[2001:db8::1]/repo', domain: '[2001:db8::1]' },
    {
      input: '[2001:db8:1:2:3:4:5:6]/repo:tag',
      name: '[2001:db8:1:2:3:4:5:6]/repo',
      domain: '[2001:db8:1:2:3:4:5:6]',
      tag: 'tag'
    },
    {
      input: '[2001:db8::1]:5000/repo:tag',
      name: '[2001:db8::1]:5000/repo',
      domain: '[2001:db8::1]:5000',
      tag: 'tag'
    },
    { input: '[::1]:5000/repo', name: '[::1]:5000/repo', domain: '[::1]:5000' },
    {
      input: `busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa`,
      name: 'docker.io/library/busybox',
      domain: 'docker.io',
      tag: 'latest',
      digest: 'sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa'
    },
    {
      input: `redis@${REDIS_DIGEST}`,
      name: 'docker.io/library/redis',
      domain: 'docker.io',
      digest: REDIS_DIGEST
    },
    {
      input: `ghcr.io/a/b/c:tag@sha256:${HEX64}`,
      name: 'ghcr.io/a/b/c',
      domain: 'ghcr.io',
      tag: 'tag',
      digest: `sha256:${HEX64}`
    },
    // 63 hex characters is not an image ID, so it is a repository name
    {
      input: 'dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9',
      name: 'docker.io/library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9',
      domain: 'docker.io'
    },
    {
      input: 'a'.repeat(128) + ':' + 'T'.repeat(128),
      name: 'docker.io/library/' + 'a'.repeat(128),
      domain: 'docker.io',
      tag: 'T'.repeat(128)
    }
  ]
  it.each(cases)('$input', (tc) => {
    const ref = parseReference(tc.input)
    expect(ref.name).toBe(tc.name)
    expect(ref.domain).toBe(tc.domain)
    expect(ref.tag).toBe(tc.tag)
    expect(ref.digest).toBe(tc.digest)
    expect(referenceString(ref)).toBe(
      tc.name + (tc.tag !== undefined ? `:${tc.tag}` : '') + (tc.digest !== undefined ? `@${tc.digest}` : '')
    )
  })

  it('keeps a path of exactly 255 characters and rejects 257', () => {
    const ok = Array(127).fill('a').join('/') + '/a' // "a/a/…/a" = 255 characters
    expect(ok).toHaveLength(255)
    expect(parseReference(`example.com/${ok}:tag-puts-this-over-max`).path).toBe(ok)
    expect(reason(`example.com/${'a/'.repeat(128)}a:tag`)).toMatch(/not be more than 255 characters/)
  })

  it('counts the library/ prefix of a familiar name in the 255-character limit', () => {
    expect(() => parseReference('a'.repeat(247))).not.toThrow() // library/ + 247 = 255
    expect(reason('a'.repeat(248))).toMatch(/255/)
  })

  it('rejects a tag longer than 128 characters', () => {
    expect(() => parseReference('busybox:' + 'a'.repeat(128))).not.toThrow()
    expect(() => parseReference('busybox:' + 'a'.repeat(129))).toThrow(InvalidReferenceError)
  })
})

describe('parseReference: reasons', () => {
  it.each([
    ['Uppercase:tag', /must be lowercase/],
    ['docker/Docker', /repository name "docker\/Docker" must be lowercase/],
    ['test:5000/Uppercase/lowercase:tag', /must be lowercase/],
    [
      `repo@sha256:${'f'.repeat(34)}`,
      /invalid digest length: a sha256 digest has 64 hex characters, this one has 34/
    ],
    [`validname@invaliddigest:${HEX64}`, /unsupported digest algorithm "invaliddigest"/],
    [`repo@sha512:${HEX64}`, /a sha512 digest has 128/],
    [`repo@sha256:${HEX64.toUpperCase()}`, /must be lower-case/],
    ['1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', /image ID/],
    ['', /empty/],
    ['${BASE}', /unexpanded `\$` variable/],
    ['node :20', /white space/],
    ['aa/asdf$$^/aa', /invalid reference format/]
  ])('%s: %s', (input, why) => {
    expect(reason(input)).toMatch(why)
  })

  it('names the reference in the error message', () => {
    expect(() => parseReference('Node:20')).toThrow('invalid image reference "Node:20"')
  })

  it('accepts sha384 and sha512 digests of the right length', () => {
    const sha384 =
      'sha384:d3fc7881460b7e22e3d172954463dddd7866d17597e7248453c48b3e9d26d9596bf9c4a9cf8072c9d5bad76e19af801d'
    expect(parseReference(`repo@${sha384}`).digest).toBe(sha384)
  })
})

describe('familiarName, familiarString and canonicalRepository', () => {
  it.each([
    ['docker.io/library/redis:7', 'redis', 'redis:7'],
    ['docker.io/dmcgowan/myapp', 'dmcgowan/myapp', 'dmcgowan/myapp'],
    ['docker.io/library/foo/bar', 'library/foo/bar', 'library/foo/bar'],
    [`ghcr.io/a/b@${REDIS_DIGEST}`, 'ghcr.io/a/b', `ghcr.io/a/b@${REDIS_DIGEST}`]
  ])('%s → %s', (input, name, full) => {
    const ref = parseReference(input)
    expect(familiarName(ref)).toBe(name)
    expect(familiarString(ref)).toBe(full)
  })

  it.each([
    ['registry-1.docker.io/acme/app', 'docker.io/acme/app'],
    ['hub.docker.com/library/node', 'docker.io/library/node'],
    ['registry-1.docker.io/node', 'docker.io/library/node'],
    ['GHCR.IO/acme/x', 'ghcr.io/acme/x'],
    ['node', 'docker.io/library/node']
  ])('canonical repository of %s is %s', (input, repo) => {
    expect(canonicalRepository(parseReference(input))).toBe(repo)
  })
})

describe('parseReference: pathological input', () => {
  it('answers quickly on long inputs that fail late', () => {
    const inputs = [
      'a'.repeat(100000) + '!',
      'a-'.repeat(50000) + '!',
      'x/' + 'a_'.repeat(50000) + '!',
      'a.'.repeat(50000) + '/x!'
    ]
    const start = Date.now()
    for (const s of inputs) expect(() => parseReference(s)).toThrow(InvalidReferenceError)
    expect(Date.now() - start).toBeLessThan(2000)
  })
})
