import { describe, it, expect } from '@jest/globals'
import { parseDockerfile } from '../../src/dockerfile/parse.js'
import { checkProvenance, finalBaseReference, type ProvenanceInput } from '../../src/policy/provenance.js'

const L = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`
const D = 'sha256:' + 'd'.repeat(64)

describe('finalBaseReference', () => {
  const df = [
    'ARG BASE=node:20',
    'FROM ${BASE} AS build',
    'FROM build AS test',
    'FROM golang:1.22 AS tools',
    'FROM test AS final'
  ].join('\n')

  it('follows stage aliases to the external image of the final stage', () => {
    expect(finalBaseReference(parseDockerfile(df))).toEqual({ ref: 'node:20', line: 2 })
  })

  it('expands build-args as the build does', () => {
    expect(finalBaseReference(parseDockerfile(df), new Map([['BASE', 'ghcr.io/x/y:1']]))).toEqual({
      ref: 'ghcr.io/x/y:1',
      line: 2
    })
  })

  it('uses the target stage when one is given', () => {
    expect(finalBaseReference(parseDockerfile(df), undefined, 'tools')).toEqual({
      ref: 'golang:1.22',
      line: 4
    })
    expect(finalBaseReference(parseDockerfile(df), undefined, 'TEST')).toEqual({ ref: 'node:20', line: 2 })
    expect(() => finalBaseReference(parseDockerfile(df), undefined, 'nope')).toThrow(
      'the target stage "nope" is not in Dockerfile (its named stages: build, test, tools, final)'
    )
  })

  it('is undefined for scratch, also through an alias', () => {
    expect(
      finalBaseReference(parseDockerfile('FROM node:20 AS b\nFROM scratch\nCOPY --from=b /a /a\n'))
    ).toBeUndefined()
    expect(finalBaseReference(parseDockerfile('FROM scratch AS base\nFROM base\n'))).toBeUndefined()
  })
})

describe('checkProvenance', () => {
  const base = {
    id: 'sha256:' + 'b'.repeat(64),
    repoTags: ['busybox:stable'],
    repoDigests: [] as string[],
    layers: [L(1)]
  }
  const input = (over: Partial<ProvenanceInput> = {}): ProvenanceInput => ({
    built: { layers: [L(1), L(2)] },
    base,
    expected: 'busybox:stable',
    line: 1,
    path: 'Dockerfile',
    allowedRegistries: ['docker.io/library'],
    ...over
  })

  it('passes when the base layers start the built chain and the base is the allowed, named image', () => {
    expect(checkProvenance(input())).toEqual([])
    expect(checkProvenance(input({ built: { layers: [L(1)] } }))).toEqual([])
  })

  it('fails when the base layers are not a prefix of the built image', () => {
    const [f] = checkProvenance(input({ built: { layers: [L(3), L(2)] } }))
    expect(f).toMatchObject({
      category: 'policy',
      ruleId: 'SI2005',
      severity: 'critical',
      location: { path: 'Dockerfile', startLine: 1, endLine: 1 }
    })
    expect(f.message).toMatch(
      /^The built image does not sit on the approved base busybox:stable: layer 1 of the built image/
    )
    expect(checkProvenance(input({ built: { layers: [] } }))[0].message).toMatch(
      /has 1 layers and the built image only 0/
    )
  })

  it('fails when no name of the base is allowed', () => {
    const [f] = checkProvenance(input({ allowedRegistries: ['ghcr.io/acme'] }))
    expect(f.message).toContain(
      'none of its names is in an allowed registry (names: busybox:stable; allowed: ghcr.io/acme)'
    )
  })

  it('fails when the base also carries a name outside the list and no allowed digest vouches for it', () => {
    const retagged = { ...base, repoTags: ['ghcr.io/evil/x:1', 'busybox:stable'] }
    const [f] = checkProvenance(input({ base: retagged }))
    expect(f.message).toContain('is also known as ghcr.io/evil/x, outside the allowed registries')
    const pulledFromEvil = { ...base, repoDigests: [`ghcr.io/evil/x@${D}`] }
    expect(checkProvenance(input({ base: pulledFromEvil }))[0].message).toContain(
      'also known as ghcr.io/evil/x'
    )
  })

  it('accepts other names when a repo digest from an allowed registry shows where the content came from', () => {
    const pulled = {
      ...base,
      repoTags: ['busybox:stable', 'mirror.local/busybox:1'],
      repoDigests: [`busybox@${D}`]
    }
    expect(checkProvenance(input({ base: pulled }))).toEqual([])
  })

  it('fails when the inspected image is not the one the Dockerfile names', () => {
    const [f] = checkProvenance(input({ expected: 'busybox:1.36' }))
    expect(f.message).toContain('is not tagged docker.io/library/busybox:1.36 (its tags: busybox:stable)')
  })

  it('needs the pinned digest among the repo digests for a digest-pinned base', () => {
    const pinned = `127.0.0.1:5000/library/busybox@${D}`
    const reg = ['127.0.0.1:5000']
    const withDigest = { ...base, repoTags: [], repoDigests: [pinned] }
    expect(checkProvenance(input({ expected: pinned, base: withDigest, allowedRegistries: reg }))).toEqual([])
    const other = { ...withDigest, repoDigests: [`127.0.0.1:5000/library/busybox@sha256:${'e'.repeat(64)}`] }
    expect(
      checkProvenance(input({ expected: pinned, base: other, allowedRegistries: reg }))[0].message
    ).toContain(`is not 127.0.0.1:5000/library/busybox@${D}`)
  })

  it('fails when the engine has no base image, or the reference is invalid', () => {
    expect(checkProvenance(input({ base: undefined }))[0].message).toContain(
      'the engine has no image named busybox:stable'
    )
    expect(checkProvenance(input({ expected: 'Bad:ref' }))[0].message).toContain(
      '"Bad:ref" is not a valid image reference'
    )
  })

  it('lists every problem in one finding', () => {
    const found = checkProvenance(input({ built: { layers: [L(9)] }, allowedRegistries: ['quay.io'] }))
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/layer 1 .*; none of its names/)
  })
})
