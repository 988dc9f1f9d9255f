/**
 * Parses one HTTP/1.1 answer as its bytes arrive, for the light client's streamed GET (stream-get.ts): the
 * status line and headers (an interim 1xx answer skipped), then a body framed by chunked transfer coding, by
 * Content-Length, or by the end of the connection, handed over as views of the bytes given. Hand-written
 * because node:http's parser cannot be fed a reused buffer.
 */
const MAX_HEAD = 64 * 1024
const MAX_LINE = 4096

/** Parses one HTTP/1.1 answer: `head` until the headers are in, then `body` for what follows. */
export class ResponseParser {
  status = 0
  headers = new Map<string, string>()
  done = false
  private head: Buffer[] = []
  private headLen = 0
  private framing: 'chunked' | 'length' | 'close' = 'close'
  private left = 0
  private line = ''
  private state: 'size' | 'data' | 'crlf' | 'trailer' = 'size'

  /** Collects the head; the offset of the body in `view` once the head is complete, else -1. */
  readHead(view: Buffer): number {
    const seen = this.headLen
    this.head.push(Buffer.from(view.subarray(0, MAX_HEAD)))
    this.headLen += Math.min(view.length, MAX_HEAD)
    const all = Buffer.concat(this.head)
    const end = all.indexOf('\r\n\r\n', Math.max(0, seen - 3))
    if (end < 0) {
      if (this.headLen >= MAX_HEAD) throw new Error('the engine answered with headers over 64 KiB')
      return -1
    }
    const bodyAt = end + 4 - seen
    const lines = all.toString('latin1', 0, end).split('\r\n')
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0])
    if (!status) throw new Error(`the engine answered something other than HTTP: ${lines[0].slice(0, 80)}`)
    this.head = []
    this.headLen = 0
    const code = Number(status[1])
    if (code < 200) {
      // An interim answer (100 Continue): the real one follows.
      const at = bodyAt < view.length ? this.readHead(view.subarray(bodyAt)) : -1
      return at < 0 ? -1 : bodyAt + at
    }
    this.status = code
    for (const l of lines.slice(1)) {
      const colon = l.indexOf(':')
      if (colon > 0) this.headers.set(l.slice(0, colon).trim().toLowerCase(), l.slice(colon + 1).trim())
    }
    const te = this.headers.get('transfer-encoding')
    const cl = this.headers.get('content-length')
    if (te && /(^|,)\s*chunked\s*$/i.test(te)) this.framing = 'chunked'
    else if (cl !== undefined) {
      this.framing = 'length'
      this.left = Number(cl)
      if (!Number.isSafeInteger(this.left) || this.left < 0)
        throw new Error(`the engine answered a bad Content-Length: ${cl}`)
      this.done = this.left === 0
    }
    return bodyAt
  }

  /** Reads body bytes from `view` (from `off`), giving the body's pieces to `onBody` as views. */
  body(view: Buffer, off: number, onBody: (piece: Buffer) => void): void {
    while (off < view.length && !this.done) {
      if (this.framing === 'close') {
        onBody(off === 0 ? view : view.subarray(off))
        return
      }
      if (this.framing === 'length' || this.state === 'data') {
        const n = Math.min(this.left, view.length - off)
        if (n > 0) onBody(view.subarray(off, off + n))
        off += n
        this.left -= n
        if (this.left === 0) {
          if (this.framing === 'length') this.done = true
          else this.state = 'crlf'
        }
        continue
      }
      // A chunk's size line, the CRLF after its data, or a trailer: short lines.
      const nl = view.indexOf(10, off)
      const stop = nl < 0 ? view.length : nl
      this.line += view.toString('latin1', off, stop)
      if (this.line.length > MAX_LINE) throw new Error('the engine answered a malformed chunked body')
      off = stop
      if (nl < 0) return
      off++
      const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line
      this.line = ''
      if (this.state === 'crlf') {
        if (line !== '') throw new Error('the engine answered a malformed chunked body')
        this.state = 'size'
      } else if (this.state === 'size') {
        const hex = line.split(';')[0].trim()
        if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new Error('the engine answered a malformed chunked body')
        this.left = parseInt(hex, 16)
        this.state = this.left === 0 ? 'trailer' : 'data'
      } else if (line === '') this.done = true
    }
  }

  /** The connection ended: throws unless the body is complete (or runs to the end of the connection). */
  end(): void {
    if (this.framing === 'close') this.done = true
    if (!this.done) throw new Error('the engine closed the connection before the end of its answer')
  }
}
