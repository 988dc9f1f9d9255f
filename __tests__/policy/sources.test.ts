import { describe, it, expect } from '@jest/globals'
import { parseDockerfile } from '../../src/dockerfile/parse.js'
import { imageSources, platformArgs, variableNames } from '../../src/policy/sources.js'

const sources = (text: string, buildArgs?: Record<string, string>) =>
  imageSources(parseDockerfile(text), buildArgs ? new Map(Object.entries(buildArgs)) : undefined)

const brief = (text: string, buildArgs?: Record<string, string>) =>
  sources(text, buildArgs).map((s) => `${s.line}:${s.kind}${s.onbuild ? '+onbuild' : ''}:${s.expanded}`)

describe('imageSources: FROM', () => {
  it('expands a global ARG default, and a build-arg overrides it', () => {
    const text = 'ARG BASE=node:20\nFROM ${BASE}\nRUN true\n'
    expect(sources(text)).toEqual([
      { kind: 'from', onbuild: false, raw: '${BASE}', expanded: 'node:20', unresolved: [], line: 2, stage: 0 }
    ])
    expect(brief(text, { BASE: 'ghcr.io/evil/x:1' })).toEqual(['2:from:ghcr.io/evil/x:1'])
  })

  it('uses only ARGs declared before the first FROM, not ARGs of an earlier stage', () => {
    const text = 'FROM busybox AS a\nARG BASE=node:20\nFROM ${BASE}\n'
    const [first, second] = sources(text)
    expect(first.expanded).toBe('busybox')
    expect(second).toMatchObject({ raw: '${BASE}', expanded: '', unresolved: ['BASE'], line: 3, stage: 1 })
  })

  it('ignores a build-arg for an ARG the Dockerfile does not declare', () => {
    expect(sources('FROM node:${V}\n', { V: '20' })[0].unresolved).toEqual(['V'])
    expect(sources('ARG V\nFROM node:${V}\n', { V: '20' })[0]).toMatchObject({
      expanded: 'node:20',
      unresolved: []
    })
  })

  it('reports a declared global ARG without a default as unresolved, and honours ${X:-default}', () => {
    expect(sources('ARG TAG\nFROM node:${TAG}\n')[0]).toMatchObject({
      expanded: 'node:',
      unresolved: ['TAG']
    })
    expect(sources('ARG TAG\nFROM node:${TAG:-20}\n')[0]).toMatchObject({
      expanded: 'node:20',
      unresolved: []
    })
  })

  it('expands --platform, with the automatic platform ARGs of BuildKit', () => {
    const [s] = sources('FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n')
    expect(s.platform).toBe(platformArgs().get('BUILDPLATFORM'))
    expect(s.platform).toMatch(/^linux\/[a-z0-9]+/)
    expect(sources('FROM --platform=linux/arm64 alpine:3\n')[0].platform).toBe('linux/arm64')
    expect(sources('FROM golang:1.22-${TARGETARCH}\n', { TARGETARCH: 'riscv64' })[0].expanded).toBe(
      'golang:1.22-riscv64'
    )
  })

  it('does not report stage aliases (case-insensitive) or scratch', () => {
    const text = [
      'ARG STAGE=build',
      'FROM golang:1.22 AS Build',
      'FROM build AS test',
      'FROM ${STAGE}',
      'FROM scratch',
      'FROM SCRATCH'
    ].join('\n')
    expect(brief(text)).toEqual(['2:from:golang:1.22'])
  })

  it('treats a name that matches only a later stage as an image', () => {
    expect(brief('FROM app\nFROM busybox AS app\n')).toEqual(['1:from:app', '2:from:busybox'])
  })

  it('maps platform ARGs for common Node architectures', () => {
    expect(platformArgs('x64').get('TARGETPLATFORM')).toBe('linux/amd64')
    expect(platformArgs('arm64').get('TARGETARCH')).toBe('arm64')
    expect(platformArgs('arm').get('TARGETPLATFORM')).toBe('linux/arm/v7')
  })
})

describe('imageSources: COPY --from', () => {
  const text = [
    'FROM golang:1.22 AS build',
    'FROM busybox:stable',
    'COPY --from=build /a /a',
    'COPY --from=BUILD /a /a',
    'COPY --from=0 /a /a',
    'COPY --from=nginx:1.25 /etc/nginx /etc/nginx',
    'COPY --from=ghcr.io/acme/tools:1 --chown=1:1 /bin/t /bin/t',
    'COPY --from=scratch /x /x',
    'COPY /local /local'
  ].join('\n')

  it('reports images but not stage names, stage indexes or scratch', () => {
    expect(brief(text)).toEqual([
      '1:from:golang:1.22',
      '2:from:busybox:stable',
      '6:copy-from:nginx:1.25',
      '7:copy-from:ghcr.io/acme/tools:1'
    ])
  })

  it("resolves variables in the stage's scope: a redeclared global ARG, a stage ARG, a build-arg", () => {
    const df = [
      'ARG REG=ghcr.io/acme',
      'FROM busybox:stable',
      'ARG REG',
      'ARG TOOL=tools:1',
      'COPY --from=${REG}/${TOOL} /t /t'
    ].join('\n')
    expect(sources(df)[1]).toMatchObject({
      kind: 'copy-from',
      expanded: 'ghcr.io/acme/tools:1',
      unresolved: [],
      line: 5
    })
    expect(sources(df, { TOOL: 'other:2' })[1].expanded).toBe('ghcr.io/acme/other:2')
  })

  it('reports a variable that is not in scope as unresolved, not as a guess', () => {
    const df = 'ARG REG=ghcr.io/acme\nFROM busybox:stable\nCOPY --from=$REG/tools /t /t\n'
    expect(sources(df)[1]).toMatchObject({ raw: '$REG/tools', expanded: '/tools', unresolved: ['REG'] })
  })

  it('resolves a variable that names a stage to that stage', () => {
    const df = 'FROM golang:1.22 AS build\nFROM busybox\nARG SRC=build\nCOPY --from=$SRC /a /a\n'
    expect(brief(df)).toEqual(['1:from:golang:1.22', '2:from:busybox'])
  })
})

describe('imageSources: RUN --mount from=', () => {
  it('reports bind and cache mounts from images, not from stages', () => {
    const df = [
      'FROM golang:1.22 AS build',
      'FROM busybox:stable',
      'RUN --mount=type=bind,from=ghcr.io/acme/cfg:1,source=/c,target=/c cat /c',
      'RUN --mount=from=build,target=/b ls /b',
      'RUN --mount=type=cache,target=/cache,from=alpine:3 ls',
      'RUN --mount=type=secret,id=tok cat /run/secrets/tok',
      'RUN --mount=type=bind,target=/src --mount=type=bind,from=node:20,target=/n ls'
    ].join('\n')
    expect(brief(df)).toEqual([
      '1:from:golang:1.22',
      '2:from:busybox:stable',
      '3:mount-from:ghcr.io/acme/cfg:1',
      '5:mount-from:alpine:3',
      '7:mount-from:node:20'
    ])
  })
})

describe('imageSources: ONBUILD', () => {
  it('reports ONBUILD COPY --from and RUN --mount from= images as onbuild sources', () => {
    const df = [
      'FROM busybox:stable',
      'ONBUILD COPY --from=ghcr.io/evil/x:1 /a /a',
      'ONBUILD RUN --mount=type=bind,from=evil/y,target=/y ls',
      'ONBUILD COPY --from=0 /a /a',
      'ONBUILD RUN echo no image'
    ].join('\n')
    expect(brief(df)).toEqual([
      '1:from:busybox:stable',
      '2:copy-from+onbuild:ghcr.io/evil/x:1',
      '3:mount-from+onbuild:evil/y'
    ])
  })

  it('leaves the variables of a trigger unresolved: they belong to the later build', () => {
    const df = 'ARG REG=ghcr.io/acme\nFROM busybox\nARG REG\nONBUILD COPY --from=${REG:-docker.io}/x /a /a\n'
    expect(sources(df)[1]).toMatchObject({ onbuild: true, unresolved: ['REG'], line: 4 })
  })
})

describe('variableNames', () => {
  it('finds $X and ${X…} but not an escaped \\$X', () => {
    expect(variableNames('${A}/$B:${C:-x}\\$D')).toEqual(['A', 'B', 'C'])
    expect(variableNames('`$E', '`')).toEqual([])
  })
})
