import { describe, expect, it } from '@jest/globals'
import { attributeLayers, historyKeyword } from '../../src/scan/attribution.js'
import { parseDockerfile } from '../../src/dockerfile/parse.js'

const d = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`

describe('history keywords', () => {
  it.each([
    ['/bin/sh -c #(nop) COPY file:abc in /app ', 'COPY'],
    ['/bin/sh -c #(nop)  CMD ["bash"]', 'CMD'],
    ['/bin/sh -c apt-get update', 'RUN'],
    ['|2 A=1 B=2 /bin/sh -c make', 'RUN'],
    ['RUN /bin/sh -c make # buildkit', 'RUN'],
    ['COPY . /src # buildkit', 'COPY'],
    ['WORKDIR /srv', 'WORKDIR'],
    ['', undefined]
  ])('%j → %s', (createdBy, kw) => {
    expect(historyKeyword(createdBy)).toBe(kw)
  })
})

describe('layer attribution', () => {
  // A base image with two layers and three history entries, then our ARG, RUN, ENV, COPY (classic builder).
  const history = [
    { created_by: '/bin/sh -c #(nop) ADD file:1 in / ' },
    { created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
    { created_by: '/bin/sh -c apt-get install -y curl' },
    { created_by: '/bin/sh -c #(nop)  ARG V', empty_layer: true },
    { created_by: '|1 V=1 /bin/sh -c make' },
    { created_by: '/bin/sh -c #(nop)  ENV A=1', empty_layer: true },
    { created_by: '/bin/sh -c #(nop) COPY dir:2 in /app ' }
  ]
  const model = parseDockerfile('FROM base:1\nARG V\nRUN make\n\nENV A=1\nCOPY . /app\n', 'sub/Dockerfile')

  it('skips the LABEL entries the classic builder appends for --label', () => {
    const labelled = [
      ...history,
      {
        created_by: '/bin/sh -c #(nop)  LABEL org.opencontainers.image.created=2026-01-01',
        empty_layer: true
      },
      { created_by: '/bin/sh -c #(nop)  LABEL org.opencontainers.image.version=main', empty_layer: true }
    ]
    const layers = attributeLayers([d(1), d(2), d(3), d(4)], labelled, model, 'sub/Dockerfile')
    expect(layers.map((l) => [l.inherited, l.location?.startLine])).toEqual([
      [true, 1],
      [true, 1],
      [false, 3],
      [false, 6]
    ])
  })

  it('maps our layers to their lines and the base layers to FROM, inherited', () => {
    const layers = attributeLayers([d(1), d(2), d(3), d(4)], history, model, 'sub/Dockerfile')
    expect(layers.map((l) => [l.inherited, l.location?.startLine, l.createdBy])).toEqual([
      [true, 1, '/bin/sh -c #(nop) ADD file:1 in / '],
      [true, 1, '/bin/sh -c apt-get install -y curl'],
      [false, 3, '|1 V=1 /bin/sh -c make'],
      [false, 6, '/bin/sh -c #(nop) COPY dir:2 in /app ']
    ])
    expect(layers[3].location).toEqual({ path: 'sub/Dockerfile', startLine: 6, endLine: 6 })
  })

  it('follows FROM <stage> into the earlier stage of the same Dockerfile', () => {
    const m = parseDockerfile('FROM base:1 AS deps\nRUN make\n\nFROM deps\nCOPY . /app\n')
    const h = [
      { created_by: 'ADD x / # buildkit' },
      { created_by: 'RUN /bin/sh -c make # buildkit' },
      { created_by: 'COPY . /app # buildkit' }
    ]
    const layers = attributeLayers([d(1), d(2), d(3)], h, m)
    expect(layers.map((l) => `${l.inherited} ${l.location?.startLine}`)).toEqual([
      'true 1',
      'false 2',
      'false 5'
    ])
  })

  it('without a Dockerfile marks nothing inherited and locates nothing', () => {
    const layers = attributeLayers([d(1), d(2), d(3), d(4)], history)
    expect(layers.every((l) => !l.inherited && !l.location)).toBe(true)
    expect(layers.map((l) => l.index)).toEqual([0, 1, 2, 3])
  })

  it('aligns from the end when the history is shorter than the layers', () => {
    const layers = attributeLayers([d(1), d(2)], [{ created_by: '/bin/sh -c #(nop) COPY a in /a' }])
    expect(layers.map((l) => l.createdBy)).toEqual([undefined, '/bin/sh -c #(nop) COPY a in /a'])
  })
})
