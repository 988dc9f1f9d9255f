/**
 * The least-privilege smoke test: the image runs as its own non-root USER with every capability dropped,
 * no-new-privileges, a read-only root filesystem, a tmpfs /tmp and no network, and must stay up (or turn
 * healthy, or exit 0). The container is always removed.
 */
import type { Transport } from './transport.js'
import type { ImageInspect, SmokeOptions, SmokeResult } from './engine.js'

/** Splits the engine's multiplexed log stream (no TTY) into lines. */
export function demuxLogs(buf: Buffer): string[] {
  const parts: string[] = []
  let i = 0
  const framed = buf.length >= 8 && buf[0] <= 2 && buf[1] === 0 && buf[2] === 0 && buf[3] === 0
  if (!framed) return buf.toString('utf8').split(/\r?\n/)
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4)
    parts.push(buf.subarray(i + 8, i + 8 + size).toString('utf8'))
    i += 8 + size
  }
  return parts.join('').split(/\r?\n/)
}

function isRootUser(user: string | undefined): boolean {
  const u = (user ?? '').trim()
  if (u === '') return true
  const name = u.split(':')[0]
  return name === 'root' || name === '0'
}

export async function smokeTest(
  t: Transport,
  image: ImageInspect | undefined,
  imageId: string,
  opts: SmokeOptions
): Promise<SmokeResult> {
  if (!image) throw new Error(`cannot smoke-test ${imageId}: the engine has no such image`)
  const user = image.Config.User
  if (isRootUser(user)) {
    return {
      passed: false,
      reason:
        `the image runs as root (${user ? `USER ${user}` : 'no USER'}); the smoke test runs images only as ` +
        'their own non-root USER: add a USER with a non-zero UID',
      logs: []
    }
  }
  const container = await t.call((d) =>
    d.createContainer({
      Image: image.Id,
      Labels: { 'org.secure-image.smoke-test': 'true' },
      HostConfig: {
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        ReadonlyRootfs: true,
        Tmpfs: { '/tmp': 'rw,nosuid,nodev,size=64m' },
        NetworkMode: 'none',
        AutoRemove: false
      }
    })
  )
  const logs = async (): Promise<string[]> => {
    try {
      const buf = (await container.logs({
        stdout: true,
        stderr: true,
        follow: false,
        tail: 50
      })) as unknown as Buffer
      const lines = demuxLogs(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)))
      while (lines.length && lines[lines.length - 1] === '') lines.pop()
      return lines.slice(-20)
    } catch {
      return []
    }
  }
  try {
    await t.call(() => container.start())
    const deadline = Date.now() + Math.max(0, opts.seconds) * 1000
    for (;;) {
      const st = (await t.call(() => container.inspect())).State
      const health = st.Health?.Status
      if (health === 'healthy')
        return { passed: true, reason: 'the HEALTHCHECK turned healthy', logs: await logs() }
      if (health === 'unhealthy') {
        return { passed: false, reason: 'the HEALTHCHECK turned unhealthy', logs: await logs() }
      }
      if (!st.Running) {
        if (st.ExitCode === 0)
          return { passed: true, reason: 'the container exited with code 0', logs: await logs() }
        const why = st.OOMKilled ? ' (out of memory)' : st.Error ? ` (${st.Error})` : ''
        return {
          passed: false,
          reason: `the container exited with code ${st.ExitCode}${why} under the hardened runtime`,
          logs: await logs()
        }
      }
      if (Date.now() >= deadline) {
        return {
          passed: true,
          reason: `the container was still running after ${opts.seconds}s`,
          logs: await logs()
        }
      }
      await new Promise((r) => setTimeout(r, 250))
    }
  } catch (e) {
    const err = e as Error
    return { passed: false, reason: `the container could not run: ${err.message}`, logs: await logs() }
  } finally {
    await container.remove({ force: true, v: true }).catch(() => undefined)
  }
}
