import { describe, it, expect, afterAll, beforeAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { computeTags, ociLabels, parseRef, validateTagRef } from '../../src/docker/tags.js'
import { docker, uniqueName, untag } from '../helpers/testenv.js'
import { makeTar } from '../scan/helpers.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const push = (ref: string, eventName = 'push'): { eventName: string; ref: string; sha: string } => ({
  eventName,
  ref,
  sha: SHA
})

describe('computeTags from the event (docker/metadata-action defaults)', () => {
  it('tags a branch push with the branch and sha-<7>', () => {
    expect(computeTags({ image: 'ghcr.io/o/app', tags: [], event: push('refs/heads/main') })).toEqual({
      refs: ['ghcr.io/o/app:main', 'ghcr.io/o/app:sha-0123456'],
      pushable: true
    })
  })

  it('sanitises a branch name as metadata-action does', () => {
    expect(
      computeTags({ image: 'o/app', tags: [], event: push('refs/heads/feature/Login+SSO') }).refs
    ).toEqual(['o/app:feature-Login-SSO', 'o/app:sha-0123456'])
  })

  it('cuts a tag from a long branch or git tag name to 128 characters instead of failing', () => {
    const branch = `feature/${'very-long-branch-name-'.repeat(8)}end`
    const refs = computeTags({ image: 'o/app', tags: [], event: push(`refs/heads/${branch}`) }).refs
    const tag = refs[0].slice('o/app:'.length)
    expect(tag).toHaveLength(128)
    expect(tag).toBe(branch.replace(/\//g, '-').slice(0, 128))
    expect(refs[1]).toBe('o/app:sha-0123456')
    for (const r of refs) expect(() => validateTagRef(r)).not.toThrow()

    const gitTag = `release_${'x'.repeat(200)}`
    const fromTag = computeTags({ image: 'o/app', tags: [], event: push(`refs/tags/${gitTag}`) }).refs
    expect(fromTag[0]).toBe(`o/app:${gitTag.slice(0, 128)}`)
  })

  it('tags a semver git tag X.Y.Z, X.Y and X', () => {
    expect(computeTags({ image: 'ghcr.io/o/app', tags: [], event: push('refs/tags/v1.2.3') }).refs).toEqual([
      'ghcr.io/o/app:1.2.3',
      'ghcr.io/o/app:1.2',
      'ghcr.io/o/app:1',
      'ghcr.io/o/app:sha-0123456'
    ])
  })

  it('gives a pre-release only its full version', () => {
    expect(computeTags({ image: 'o/app', tags: [], event: push('refs/tags/v2.0.0-rc.1') }).refs).toEqual([
      'o/app:2.0.0-rc.1',
      'o/app:sha-0123456'
    ])
  })

  it('uses a non-semver git tag as it is', () => {
    expect(computeTags({ image: 'o/app', tags: [], event: push('refs/tags/nightly-2024') }).refs).toEqual([
      'o/app:nightly-2024',
      'o/app:sha-0123456'
    ])
  })

  it('tags a release event from its tag and pushes it', () => {
    expect(computeTags({ image: 'o/app', tags: [], event: push('refs/tags/v3.1.0', 'release') })).toEqual({
      refs: ['o/app:3.1.0', 'o/app:3.1', 'o/app:3', 'o/app:sha-0123456'],
      pushable: true
    })
  })

  it('tags a pull request pr-N and never makes it pushable', () => {
    expect(
      computeTags({
        image: 'o/app',
        tags: [],
        event: { ...push('refs/pull/42/merge', 'pull_request'), prNumber: 42 }
      })
    ).toEqual({ refs: ['o/app:pr-42'], pushable: false })
    expect(
      computeTags({ image: 'o/app', tags: [], event: push('refs/pull/9/merge', 'pull_request_target') })
    ).toEqual({
      refs: ['o/app:pr-9'],
      pushable: false
    })
    // Even with explicit tags, a PR build is not pushable.
    expect(
      computeTags({ image: 'o/app', tags: ['1'], event: push('refs/pull/9/merge', 'pull_request') }).pushable
    ).toBe(false)
  })

  it('adds nightly on schedule, and only pull requests are never pushable', () => {
    expect(
      computeTags({ image: 'o/app', tags: [], event: push('refs/heads/main', 'schedule') }).refs
    ).toEqual(['o/app:nightly', 'o/app:main', 'o/app:sha-0123456'])
    expect(
      computeTags({ image: 'o/app', tags: [], event: push('refs/heads/main', 'workflow_dispatch') }).pushable
    ).toBe(true)
    expect(
      computeTags({ image: 'o/app', tags: [], event: push('refs/heads/main', 'issue_comment') }).pushable
    ).toBe(true)
  })
})

describe('computeTags with given tags', () => {
  it('joins bare tags to the image and keeps full refs', () => {
    expect(
      computeTags({
        image: '127.0.0.1:5000/team/app',
        tags: ['latest', ' 1.0 ', 'ghcr.io/o/app:edge', 'latest'],
        event: push('refs/heads/main')
      }).refs
    ).toEqual(['ghcr.io/o/app:edge', '127.0.0.1:5000/team/app:latest', '127.0.0.1:5000/team/app:1.0'])
  })

  it('needs no image when every tag is a full ref', () => {
    expect(
      computeTags({ image: '', tags: ['ghcr.io/o/app:1'], event: push('refs/heads/main') }).refs
    ).toEqual(['ghcr.io/o/app:1'])
  })

  it('names the invalid tag in the error', () => {
    const bad =
      (tags: string[], image = 'o/app'): (() => unknown) =>
      () =>
        computeTags({ image, tags, event: push('refs/heads/main') })
    expect(bad(['-bad'])).toThrow(/invalid tag "-bad"/)
    expect(bad(['.hidden'])).toThrow(/invalid tag "\.hidden"/)
    expect(bad(['x'.repeat(129)])).toThrow(/invalid tag "x{129}"/)
    expect(bad(['ghcr.io/O/App:1'])).toThrow(/"ghcr.io\/O\/App:1".*lowercase/)
    expect(bad(['ghcr.io/o/app'])).toThrow(/"ghcr.io\/o\/app" has no tag/)
    expect(bad(['ghcr.io/o/app@sha256:' + 'a'.repeat(64)])).toThrow(/carries a digest/)
    expect(bad(['1'], '')).toThrow(/no image name/)
    expect(bad(['1'], 'o/app:2')).toThrow(/must be a repository without a tag/)
    // A tag derived from the event is made valid instead: the leading "-" is dropped.
    expect(computeTags({ image: 'o/app', tags: [], event: push('refs/heads/-x') }).refs[0]).toBe('o/app:x')
  })
})

describe('tag validation agrees with the docker reference grammar', () => {
  const made: string[] = []
  // An image of this suite's own to tag: names given to a shared image (busybox:stable) would show up as its
  // other names in the provenance checks of suites running beside this one.
  const source = `${uniqueName('si-tagcheck-source')}:1`
  beforeAll(async () => {
    docker(['import', '-', source], await makeTar([{ name: 'tagcheck', data: source }]))
    made.push(source)
  })
  afterAll(() => {
    untag(...made)
  })

  it('accepts exactly what `docker tag` accepts', () => {
    const base = uniqueName('si-tagcheck')
    const candidates = [
      `${base}:ok`,
      `${base}:1.2.3_rc-1`,
      `${base}:${'a'.repeat(128)}`,
      `${base}:${'a'.repeat(129)}`,
      `${base}:-x`,
      `${base}:.x`,
      `${base}:_x`,
      `${base}/a__b/c--d:1`,
      `${base}/a___b:1`,
      `${base}/a-_b:1`,
      `${base}/Upper:1`,
      `localhost:5000/${base}:1`,
      `127.0.0.1:5555/${base}/x.y:1`,
      `${base}/a.:1`,
      `${base}//x:1`,
      `${base}:t@sha256:${'0'.repeat(64)}`
    ]
    for (const ref of candidates) {
      let engineOk = true
      try {
        execFileSync('docker', ['tag', source, ref], { stdio: 'pipe' })
        made.push(ref)
      } catch {
        engineOk = false
      }
      let ours = true
      try {
        validateTagRef(ref)
      } catch {
        ours = false
      }
      // A digest ref is valid for the engine's parser but can never be a tag.
      const expected = ref.includes('@') ? false : engineOk
      expect({ ref, ok: ours }).toEqual({ ref, ok: expected })
    }
  })
})

describe('parseRef', () => {
  it('normalises Docker Hub names and finds registries', () => {
    expect(parseRef('busybox')).toEqual({
      registry: 'docker.io',
      repository: 'library/busybox',
      tag: undefined,
      digest: undefined
    })
    expect(parseRef('index.docker.io/o/app:1')).toMatchObject({
      registry: 'docker.io',
      repository: 'o/app',
      tag: '1'
    })
    expect(parseRef('localhost/app')).toMatchObject({ registry: 'localhost', repository: 'app' })
    expect(parseRef('127.0.0.1:5555/a/b:c')).toMatchObject({
      registry: '127.0.0.1:5555',
      repository: 'a/b',
      tag: 'c'
    })
    expect(parseRef(`ghcr.io/o/app@sha256:${'f'.repeat(64)}`)).toMatchObject({
      digest: `sha256:${'f'.repeat(64)}`
    })
  })
})

describe('ociLabels', () => {
  it('fills the labels from the GitHub context and lets the user override them', () => {
    const created = new Date('2026-01-02T03:04:05Z')
    expect(
      ociLabels({
        serverUrl: 'https://github.com/',
        repository: 'octo/app',
        sha: SHA,
        version: '1.2.3',
        created
      })
    ).toEqual({
      'org.opencontainers.image.source': 'https://github.com/octo/app',
      'org.opencontainers.image.url': 'https://github.com/octo/app',
      'org.opencontainers.image.title': 'app',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.created': '2026-01-02T03:04:05.000Z'
    })
    const l = ociLabels({
      repository: 'octo/app',
      created,
      labels: { 'org.opencontainers.image.title': 'Mine', x: 'y' }
    })
    expect(l['org.opencontainers.image.title']).toBe('Mine')
    expect(l.x).toBe('y')
    expect(l['org.opencontainers.image.version']).toBeUndefined()
  })

  it('derives the version from the git ref and takes a title', () => {
    const at = (ref: string): string | undefined =>
      ociLabels({ repository: 'octo/app', ref, title: 'web' })['org.opencontainers.image.version']
    expect(at('refs/tags/v1.2.3')).toBe('1.2.3')
    expect(at('refs/tags/release/2024')).toBe('release-2024')
    expect(at('refs/heads/feature/x')).toBe('feature-x')
    expect(at('refs/pull/7/merge')).toBe('pr-7')
    expect(at('HEAD')).toBeUndefined()
    expect(ociLabels({ repository: 'octo/app', title: 'web' })['org.opencontainers.image.title']).toBe('web')
    expect(
      ociLabels({ repository: 'octo/app', ref: 'refs/tags/v1.0.0', version: '9' })[
        'org.opencontainers.image.version'
      ]
    ).toBe('9')
  })
})
