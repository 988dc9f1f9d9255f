/**
 * The light client's streamed GET as an HTTP/1.1 client: bodies framed by chunked coding, Content-Length or the
 * end of the connection, split anywhere; refused statuses; connections that end early or go quiet; readers
 * that take the bytes in place and hold them. A local HTTP server on a unix socket plays the far end (what the
 * engine's export gives is proven against the real engines in engine.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import * as http from 'node:http'
import * as net from 'node:net'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { engineStreamGet, type EngineStream } from '../../src/docker/stream-get.js'

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
const body = randomBytes(3 * 1024 * 1024 + 12345)

let dir: string
let httpSock: string
let rawSock: string
let server: http.Server
let raw: net.Server
/** What the raw server writes for the next connection, and whether it then closes or stalls. */
let rawScript: { parts: (Buffer | string)[]; end: 'close' | 'stall' } = { parts: [], end: 'close' }
const rawSockets = new Set<net.Socket>()

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'si-stream-get-'))
  httpSock = path.join(dir, 'http.sock')
  rawSock = path.join(dir, 'raw.sock')
  server = http.createServer((req, res) => {
    if (req.url === '/chunked') {
      // Pieces of every size, so that chunk headers fall anywhere in the client's reads.
      let off = 0
      let n = 1
      const next = (): void => {
        while (off < body.length) {
          const piece = body.subarray(off, off + n)
          off += piece.length
          n = (n * 7 + 13) % 70000 || 1
          if (!res.write(piece)) return void res.once('drain', next)
        }
        res.end()
      }
      next()
    } else if (req.url === '/length') {
      res.setHeader('Content-Length', body.length)
      res.end(body)
    } else if (req.url === '/missing') {
      res.statusCode = 404
      res.setHeader('Content-Type', 'application/json')
      res.end(JSON.stringify({ message: 'No such image: nope:latest' }))
    } else {
      res.statusCode = 500
      res.end('plain failure')
    }
  })
  raw = net.createServer((s) => {
    rawSockets.add(s)
    s.on('close', () => rawSockets.delete(s))
    s.once('data', () => {
      for (const p of rawScript.parts) s.write(p)
      if (rawScript.end === 'close') s.end()
    })
  })
  await new Promise<void>((r) => server.listen(httpSock, r))
  await new Promise<void>((r) => raw.listen(rawSock, r))
})

afterAll(async () => {
  for (const s of rawSockets) s.destroy()
  await new Promise((r) => server.close(r))
  await new Promise((r) => raw.close(r))
  rmSync(dir, { recursive: true, force: true })
})

const get = (sock: string, p: string, idleMs = 10_000): Promise<EngineStream> =>
  engineStreamGet(
    { socketPath: sock, protocol: 'http' },
    { path: p, statusCodes: { 200: true, 500: 'server error' }, idleMs, what: 'the test export' }
  )

/** Reads in place, copying what it gets; every third piece is held for a moment (as a layer's end is). */
async function readInPlace(s: EngineStream): Promise<Buffer> {
  const got: Buffer[] = []
  let n = 0
  await s.readViews((view) => {
    got.push(Buffer.from(view))
    if (n++ % 3 === 0) return new Promise<void>((r) => setTimeout(r, 1))
  })
  return Buffer.concat(got)
}

async function readAsStream(s: EngineStream): Promise<Buffer> {
  const got: Buffer[] = []
  for await (const c of s) got.push(c as Buffer)
  return Buffer.concat(got)
}

describe('streamed GET', () => {
  it('reads a chunked body split anywhere, in place or as a stream', async () => {
    expect(sha(await readInPlace(await get(httpSock, '/chunked')))).toBe(sha(body))
    expect(sha(await readAsStream(await get(httpSock, '/chunked')))).toBe(sha(body))
  })

  it('reads a body of known length', async () => {
    expect(sha(await readInPlace(await get(httpSock, '/length')))).toBe(sha(body))
  })

  it('reads a body that runs to the end of the connection, after an interim answer', async () => {
    rawScript = {
      parts: [
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\n',
        '\r\n',
        body
      ],
      end: 'close'
    }
    expect(sha(await readInPlace(await get(rawSock, '/x')))).toBe(sha(body))
  })

  it('fails a refused status with the engine message, as docker-modem words it', async () => {
    const missing = await get(httpSock, '/missing').catch(
      (e: unknown) => e as Error & { statusCode?: number }
    )
    expect((missing as Error).message).toBe('(HTTP code 404) unexpected - No such image: nope:latest ')
    expect((missing as { statusCode?: number }).statusCode).toBe(404)
    const failed = await get(httpSock, '/fail').catch((e: unknown) => e as Error)
    expect((failed as Error).message).toBe('(HTTP code 500) server error - plain failure ')
  })

  it('fails a body cut short, and one that goes quiet, with what happened', async () => {
    rawScript = {
      parts: ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', '10000\r\n', body.subarray(0, 1000)],
      end: 'close'
    }
    await expect(readInPlace(await get(rawSock, '/x'))).rejects.toThrow(
      /closed the connection before the end of its answer/
    )
    rawScript = {
      parts: ['HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n', body.subarray(0, 100)],
      end: 'stall'
    }
    await expect(readInPlace(await get(rawSock, '/x', 300))).rejects.toThrow(
      /the Docker engine sent nothing for 0s during the test export/
    )
  })

  it("stops reading when the reader fails, with the reader's error", async () => {
    const s = await get(httpSock, '/chunked')
    let calls = 0
    await expect(
      s.readViews(() => {
        if (++calls === 3) throw new Error('the reader gave up')
      })
    ).rejects.toThrow('the reader gave up')
  })

  it('cannot reach a socket that is not there', async () => {
    await expect(get(path.join(dir, 'none.sock'), '/x')).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
