/**
 * The hand-written StatusResponse decoder against protobufjs encoding the same messages from BuildKit's own
 * schema (the .proto that dockerode ships), and the step lines rendered from them.
 */
import { describe, it, expect } from '@jest/globals'
import { createRequire } from 'node:module'
import fc from 'fast-check'
import protobuf from 'protobufjs'
import { decodeStatusResponse, BuildkitProgress } from '../../src/docker/buildkit.js'

const require = createRequire(import.meta.url)
const protoPath = require.resolve('dockerode/lib/proto/buildkit_status.proto')
const StatusResponse = protobuf.loadSync(protoPath).lookupType('moby.buildkit.v1.StatusResponse')

function encode(obj: Record<string, unknown>): Buffer {
  const err = StatusResponse.verify(obj)
  if (err) throw new Error(err)
  return Buffer.from(StatusResponse.encode(StatusResponse.fromObject(obj)).finish())
}

const ts = (seconds: number, nanos = 0): { seconds: number; nanos: number } => ({ seconds, nanos })

describe('decodeStatusResponse', () => {
  it('decodes vertexes, statuses, logs and warnings encoded by protobufjs', () => {
    const buf = encode({
      vertexes: [
        {
          digest: 'sha256:a',
          inputs: ['sha256:z'],
          name: '[2/3] RUN make',
          cached: false,
          started: ts(100, 5)
        },
        { digest: 'sha256:b', name: '[1/3] FROM busybox', cached: true, completed: ts(101) },
        {
          digest: 'sha256:c',
          name: '[3/3] RUN false',
          started: ts(1),
          completed: ts(2),
          error: 'exit code: 1'
        }
      ],
      statuses: [{ ID: 'sha256:layer', vertex: 'sha256:a', name: 'extracting', current: 1500, total: 3000 }],
      logs: [{ vertex: 'sha256:a', stream: 2, msg: Buffer.from('cc -o app\n') }],
      warnings: [{ vertex: 'sha256:a', level: 1, short: Buffer.from('legacy syntax') }]
    })
    const r = decodeStatusResponse(buf)
    expect(r.vertexes).toEqual([
      { digest: 'sha256:a', name: '[2/3] RUN make', cached: false, started: ts(100, 5) },
      { digest: 'sha256:b', name: '[1/3] FROM busybox', cached: true, completed: ts(101) },
      {
        digest: 'sha256:c',
        name: '[3/3] RUN false',
        cached: false,
        started: ts(1),
        completed: ts(2),
        error: 'exit code: 1'
      }
    ])
    expect(r.statuses).toEqual([
      { id: 'sha256:layer', vertex: 'sha256:a', name: 'extracting', current: 1500, total: 3000 }
    ])
    expect(r.logs).toHaveLength(1)
    expect(r.logs[0].vertex).toBe('sha256:a')
    expect(r.logs[0].stream).toBe(2)
    expect(Buffer.from(r.logs[0].msg).toString()).toBe('cc -o app\n')
    expect(r.warnings).toEqual([{ vertex: 'sha256:a', short: 'legacy syntax' }])
  })

  it('round-trips arbitrary names and log bytes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ digest: fc.string(), name: fc.string({ unit: 'grapheme' }), cached: fc.boolean() }),
          {
            maxLength: 5
          }
        ),
        fc.array(fc.record({ vertex: fc.string(), msg: fc.uint8Array({ maxLength: 300 }) }), {
          maxLength: 5
        }),
        (vertexes, logs) => {
          const r = decodeStatusResponse(encode({ vertexes, logs: logs.map((l) => ({ ...l, stream: 1 })) }))
          expect(r.vertexes.map((v) => ({ digest: v.digest, name: v.name, cached: v.cached }))).toEqual(
            vertexes
          )
          expect(r.logs.map((l) => ({ vertex: l.vertex, msg: Buffer.from(l.msg) }))).toEqual(
            logs.map((l) => ({ vertex: l.vertex, msg: Buffer.from(l.msg) }))
          )
        }
      ),
      { numRuns: 200 }
    )
  })

  it('rejects a truncated message', () => {
    const buf = encode({ vertexes: [{ digest: 'sha256:a', name: 'a long enough vertex name' }] })
    expect(() => decodeStatusResponse(buf.subarray(0, buf.length - 5))).toThrow(/truncated/)
  })
})

describe('BuildkitProgress', () => {
  it('renders plain step lines, joins log lines split across messages, and remembers the failing step', () => {
    const lines: string[] = []
    const p = new BuildkitProgress((l) => lines.push(l))
    const b64 = (o: Record<string, unknown>): string => encode(o).toString('base64')
    p.push(b64({ vertexes: [{ digest: 'd1', name: '[1/2] FROM busybox', cached: true, completed: ts(1) }] }))
    p.push(b64({ vertexes: [{ digest: 'd2', name: '[2/2] RUN ./build.sh', started: ts(10) }] }))
    p.push(b64({ logs: [{ vertex: 'd2', stream: 1, msg: Buffer.from('compiling\nlink') }] }))
    p.push(b64({ logs: [{ vertex: 'd2', stream: 2, msg: Buffer.from('ing failed\n') }] }))
    p.push(
      b64({
        vertexes: [
          {
            digest: 'd2',
            name: '[2/2] RUN ./build.sh',
            started: ts(10),
            completed: ts(12, 500000000),
            error: 'exit code: 2'
          }
        ]
      })
    )
    expect(lines).toEqual([
      '#1 [1/2] FROM busybox',
      '#1 CACHED',
      '#2 [2/2] RUN ./build.sh',
      '#2 compiling',
      '#2 linking failed',
      '#2 ERROR: exit code: 2'
    ])
    expect(p.failure()).toEqual({
      step: '[2/2] RUN ./build.sh',
      error: 'exit code: 2',
      logs: ['compiling', 'linking failed']
    })
  })

  it('prints DONE with the duration', () => {
    const lines: string[] = []
    const p = new BuildkitProgress((l) => lines.push(l))
    p.push(
      encode({
        vertexes: [{ digest: 'x', name: 'exporting to image', started: ts(5), completed: ts(6, 400000000) }]
      }).toString('base64')
    )
    expect(lines).toEqual(['#1 exporting to image', '#1 DONE 1.4s'])
    expect(p.failure()).toBeUndefined()
  })
})
