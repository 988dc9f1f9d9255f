/**
 * BuildKit progress through the Engine API: the `moby.buildkit.trace` aux messages are base64 protobuf
 * `moby.buildkit.v1.StatusResponse`s (vertexes, statuses, logs, warnings). This file decodes them by hand (only
 * the fields we show) and renders readable step lines like BuildKit's plain progress output.
 */

class Reader {
  pos = 0
  constructor(readonly buf: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.buf.length
  }
  varint(): bigint {
    let result = 0n
    let shift = 0n
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated protobuf varint')
      const b = this.buf[this.pos++]
      result |= BigInt(b & 0x7f) << shift
      if ((b & 0x80) === 0) return result
      shift += 7n
      if (shift > 70n) throw new Error('protobuf varint too long')
    }
  }
  bytes(): Uint8Array {
    const len = Number(this.varint())
    if (this.pos + len > this.buf.length) throw new Error('truncated protobuf field')
    const out = this.buf.subarray(this.pos, this.pos + len)
    this.pos += len
    return out
  }
  skip(wire: number): void {
    if (wire === 0) this.varint()
    else if (wire === 1) this.pos += 8
    else if (wire === 2) this.bytes()
    else if (wire === 5) this.pos += 4
    else throw new Error(`unsupported protobuf wire type ${wire}`)
  }
  /** Iterates over the fields of a message: calls `on(field, wire)`, which must consume or return false. */
  fields(on: (field: number, wire: number) => boolean): void {
    while (!this.done) {
      const key = Number(this.varint())
      const field = key >>> 3
      const wire = key & 7
      if (!on(field, wire)) this.skip(wire)
    }
  }
}

const utf8 = new TextDecoder()
const str = (r: Reader): string => utf8.decode(r.bytes())

export interface BkTimestamp {
  seconds: number
  nanos: number
}

export interface BkVertex {
  digest: string
  name: string
  cached: boolean
  started?: BkTimestamp
  completed?: BkTimestamp
  error?: string
}

export interface BkStatus {
  id: string
  vertex: string
  name: string
  current: number
  total: number
  completed?: BkTimestamp
}

export interface BkLog {
  vertex: string
  stream: number
  msg: Uint8Array
}

export interface BkWarning {
  vertex: string
  short: string
}

export interface StatusResponse {
  vertexes: BkVertex[]
  statuses: BkStatus[]
  logs: BkLog[]
  warnings: BkWarning[]
}

function timestamp(buf: Uint8Array): BkTimestamp {
  const t = { seconds: 0, nanos: 0 }
  const r = new Reader(buf)
  r.fields((f, w) => {
    if (f === 1 && w === 0) t.seconds = Number(r.varint())
    else if (f === 2 && w === 0) t.nanos = Number(r.varint())
    else return false
    return true
  })
  return t
}

function vertex(buf: Uint8Array): BkVertex {
  const v: BkVertex = { digest: '', name: '', cached: false }
  const r = new Reader(buf)
  r.fields((f, w) => {
    if (w === 2 && f === 1) v.digest = str(r)
    else if (w === 2 && f === 3) v.name = str(r)
    else if (w === 0 && f === 4) v.cached = r.varint() !== 0n
    else if (w === 2 && f === 5) v.started = timestamp(r.bytes())
    else if (w === 2 && f === 6) v.completed = timestamp(r.bytes())
    else if (w === 2 && f === 7) v.error = str(r)
    else return false
    return true
  })
  return v
}

function status(buf: Uint8Array): BkStatus {
  const s: BkStatus = { id: '', vertex: '', name: '', current: 0, total: 0 }
  const r = new Reader(buf)
  r.fields((f, w) => {
    if (w === 2 && f === 1) s.id = str(r)
    else if (w === 2 && f === 2) s.vertex = str(r)
    else if (w === 2 && f === 3) s.name = str(r)
    else if (w === 0 && f === 4) s.current = Number(r.varint())
    else if (w === 0 && f === 5) s.total = Number(r.varint())
    else if (w === 2 && f === 8) s.completed = timestamp(r.bytes())
    else return false
    return true
  })
  return s
}

function log(buf: Uint8Array): BkLog {
  const l: BkLog = { vertex: '', stream: 0, msg: new Uint8Array() }
  const r = new Reader(buf)
  r.fields((f, w) => {
    if (w === 2 && f === 1) l.vertex = str(r)
    else if (w === 0 && f === 3) l.stream = Number(r.varint())
    else if (w === 2 && f === 4) l.msg = r.bytes()
    else return false
    return true
  })
  return l
}

function warning(buf: Uint8Array): BkWarning {
  const wv: BkWarning = { vertex: '', short: '' }
  const r = new Reader(buf)
  r.fields((f, w) => {
    if (w === 2 && f === 1) wv.vertex = str(r)
    else if (w === 2 && f === 3) wv.short = str(r)
    else return false
    return true
  })
  return wv
}

/** Decodes one `moby.buildkit.v1.StatusResponse`. Throws on malformed input. */
export function decodeStatusResponse(buf: Uint8Array): StatusResponse {
  const out: StatusResponse = { vertexes: [], statuses: [], logs: [], warnings: [] }
  const r = new Reader(buf)
  r.fields((f, w) => {
    if (w !== 2) return false
    if (f === 1) out.vertexes.push(vertex(r.bytes()))
    else if (f === 2) out.statuses.push(status(r.bytes()))
    else if (f === 3) out.logs.push(log(r.bytes()))
    else if (f === 4) out.warnings.push(warning(r.bytes()))
    else return false
    return true
  })
  return out
}

function seconds(a?: BkTimestamp, b?: BkTimestamp): string {
  if (!a || !b) return ''
  const s = b.seconds - a.seconds + (b.nanos - a.nanos) / 1e9
  return ` ${Math.max(0, s).toFixed(1)}s`
}

function size(n: number): string {
  if (n < 1024) return `${n}B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)}kB`
  return `${(n / 1024 / 1024).toFixed(1)}MB`
}

interface VertexState {
  index: number
  name: string
  announced: boolean
  done: boolean
  started?: BkTimestamp
  partial: string
  logs: string[]
  error?: string
}

/**
 * Turns the stream of StatusResponses into plain step lines (`#3 [2/3] RUN make`, `#3 0.412 output`,
 * `#3 DONE 1.2s`), and remembers each vertex's output so a failure can show the failing step with its log.
 */
export class BuildkitProgress {
  private readonly vertexes = new Map<string, VertexState>()
  private next = 1

  constructor(private readonly onLine: (line: string) => void) {}

  private state(digest: string, name = ''): VertexState {
    let s = this.vertexes.get(digest)
    if (!s) {
      s = { index: this.next++, name, announced: false, done: false, partial: '', logs: [] }
      this.vertexes.set(digest, s)
    }
    if (name) s.name = name
    return s
  }

  private announce(s: VertexState): void {
    if (s.announced) return
    s.announced = true
    this.onLine(`#${s.index} ${s.name}`)
  }

  /** Feeds one base64 `aux` payload of a `moby.buildkit.trace` message. */
  push(auxBase64: string): void {
    const msg = decodeStatusResponse(Buffer.from(auxBase64, 'base64'))
    for (const v of msg.vertexes) {
      const s = this.state(v.digest, v.name)
      if (v.started) s.started = v.started
      if (v.started || v.cached || v.completed) this.announce(s)
      if (s.done) continue
      if (v.error) {
        s.done = true
        s.error = v.error
        this.flush(s)
        this.onLine(`#${s.index} ERROR: ${v.error}`)
      } else if (v.cached) {
        s.done = true
        this.onLine(`#${s.index} CACHED`)
      } else if (v.completed) {
        s.done = true
        this.flush(s)
        this.onLine(`#${s.index} DONE${seconds(v.started ?? s.started, v.completed)}`)
      }
    }
    for (const st of msg.statuses) {
      if (!st.completed) continue
      const s = this.state(st.vertex)
      this.announce(s)
      const amount = st.total ? `${size(st.current)} / ${size(st.total)}` : st.current ? size(st.current) : ''
      this.onLine(`#${s.index} ${st.name || st.id}${amount ? ` ${amount}` : ''} done`)
    }
    for (const l of msg.logs) {
      const s = this.state(l.vertex)
      this.announce(s)
      const text = s.partial + utf8.decode(l.msg)
      const lines = text.split(/\r?\n/)
      s.partial = lines.pop() ?? ''
      for (const line of lines) this.emitLog(s, line)
    }
    for (const w of msg.warnings) {
      const s = this.state(w.vertex)
      this.onLine(`#${s.index} WARNING: ${w.short}`)
    }
  }

  private emitLog(s: VertexState, line: string): void {
    s.logs.push(line)
    if (s.logs.length > 200) s.logs.shift()
    this.onLine(`#${s.index} ${line}`)
  }

  private flush(s: VertexState): void {
    if (s.partial) {
      this.emitLog(s, s.partial)
      s.partial = ''
    }
  }

  /** The failed step (name and last output lines), when a vertex reported an error. */
  failure(): { step: string; error: string; logs: string[] } | undefined {
    for (const s of this.vertexes.values()) {
      if (s.error !== undefined) return { step: s.name, error: s.error, logs: s.logs.slice(-30) }
    }
    return undefined
  }
}
