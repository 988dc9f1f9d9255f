/**
 * An image export requested before the CLI has loaded (src/cli-start.ts), for the engine to take over. The
 * engine prepares the whole `docker save` archive before its first byte, so every millisecond the request goes
 * out earlier is a millisecond off the scan: this module and what it loads (transport.ts, http.ts,
 * stream-get.ts) are all `secure-image scan` evaluates before sending it. Until the engine takes it, the
 * request does not keep the process alive (a CLI that stops on a usage error exits at once).
 */
import { DEFAULT_TIMEOUTS, Transport } from './transport.js'
import { KeepAlive } from './stream-get.js'

interface Early {
  stream: Promise<NodeJS.ReadableStream>
  keepAlive: KeepAlive
}

const requested = new Map<string, Early>()

const key = (t: Transport, ref: string): string =>
  JSON.stringify([t.where, t.timeouts.callMs, t.timeouts.idleMs, ref])

/** The export request of `ref`, as `exportImage` makes it; the same for the early request and the engine. */
export function exportRequest(
  t: Transport,
  ref: string,
  keepAlive?: KeepAlive
): Promise<NodeJS.ReadableStream> {
  return t.getStream(
    {
      path: `/images/${ref}/get`,
      statusCodes: { 200: true, 500: 'server error' },
      what: `the export of ${ref}`
    },
    keepAlive
  )
}

/** Sends the export request of `ref` to the engine DOCKER_HOST names (with the default bounds) now. */
export function requestEarlyExport(ref: string): void {
  let t: Transport
  try {
    t = new Transport(undefined, DEFAULT_TIMEOUTS)
  } catch {
    return // a bad DOCKER_HOST: the engine reports it when the CLI makes its own
  }
  // Over ssh:// the request needs dockerode, which the CLI would have to load first: nothing is gained.
  if (!t.light) return
  const keepAlive = new KeepAlive(false)
  const stream = exportRequest(t, ref, keepAlive)
  stream.catch(() => undefined)
  requested.set(key(t, ref), { stream, keepAlive })
}

/** The early export of `ref` on this transport's engine, taken once; undefined when none was requested. */
export function takeEarlyExport(t: Transport, ref: string): Promise<NodeJS.ReadableStream> | undefined {
  const k = key(t, ref)
  const early = requested.get(k)
  if (!early) return undefined
  requested.delete(k)
  early.keepAlive.ref()
  return early.stream
}
