/**
 * Build, inspect, export and the smoke test, against the real engine.
 */
import { describe, it, expect, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { extract } from 'tar-stream'
import { createEngine, type BuildOptions } from '../../src/docker/engine.js'
import { docker, testEnv, uniqueName, untag } from '../helpers/testenv.js'
import { buildOptions } from '../helpers/build.js'

testEnv()
const engine = createEngine()
const images: string[] = []
const dirs: string[] = []

afterAll(async () => {
  // Untag names only: equal builds elsewhere share an image ID, which must not be removed under them.
  untag(...images)
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function context(dockerfile: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'si-engine-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'Dockerfile'), dockerfile)
  for (const [k, v] of Object.entries(files)) writeFileSync(join(dir, k), v)
  return dir
}

function opts(dir: string, over: Partial<BuildOptions> = {}): BuildOptions {
  const tag = `${uniqueName('si-engine')}:t`
  images.push(tag)
  return buildOptions(dir, tag, over)
}

async function build(dockerfile: string, over: Partial<BuildOptions> = {}): Promise<string> {
  const { imageId } = await engine.build(opts(context(dockerfile), over), () => {})
  images.push(imageId)
  return imageId
}

describe('info', () => {
  it('reports the engine version and BuildKit support', async () => {
    const info = await engine.info()
    expect(info.apiVersion).toBe(docker(['version', '--format', '{{.Server.APIVersion}}']).trim())
    expect(info.serverVersion).toBe(docker(['version', '--format', '{{.Server.Version}}']).trim())
    expect(info.buildkit).toBe(true)
  })

  it('says which engine it cannot reach, and why', async () => {
    const e = createEngine({ dockerHost: 'unix:///tmp/no-such-dir/docker.sock' })
    await expect(e.info()).rejects.toThrow(
      /^cannot reach the Docker engine at unix:\/\/\/tmp\/no-such-dir\/docker.sock: ENOENT/
    )
    const t = createEngine({ dockerHost: 'tcp://127.0.0.1:1' })
    await expect(t.inspectImage('busybox:stable')).rejects.toThrow(
      /cannot reach the Docker engine at tcp:\/\/127.0.0.1:1: ECONNREFUSED/
    )
  })

  it('honours DOCKER_HOST', async () => {
    const saved = process.env.DOCKER_HOST
    process.env.DOCKER_HOST = 'unix:///tmp/si-missing.sock'
    try {
      await expect(createEngine().info()).rejects.toThrow(/at unix:\/\/\/tmp\/si-missing.sock/)
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST
      else process.env.DOCKER_HOST = saved
    }
  })
})

describe('build', () => {
  const DF = [
    'FROM busybox:stable AS base',
    'ARG GREETING=unset',
    'RUN echo "greeting=$GREETING" > /greeting',
    'FROM base AS final',
    'RUN echo final > /stage',
    ''
  ].join('\n')

  for (const builder of ['buildkit', 'classic'] as const) {
    it(`builds with ${builder}: build args, labels, target, tags, and readable progress`, async () => {
      const lines: string[] = []
      const o = opts(context(DF), {
        builder,
        buildArgs: { GREETING: `hello-${builder}` },
        labels: { 'org.opencontainers.image.title': 'demo' },
        target: 'base',
        noCache: true
      })
      const second = `${uniqueName('si-engine')}:second`
      images.push(second)
      o.tags.push(second)
      const { imageId } = await engine.build(o, (l) => lines.push(l))
      images.push(imageId)
      expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/)
      const img = await engine.inspectImage(o.tags[0])
      expect(img?.Id).toBe(imageId)
      expect((await engine.inspectImage(second))?.Id).toBe(imageId)
      expect(img?.Config.Labels?.['org.opencontainers.image.title']).toBe('demo')
      expect(docker(['run', '--rm', imageId, 'cat', '/greeting']).trim()).toBe(`greeting=hello-${builder}`)
      // target: base, so the final stage's file is absent
      expect(docker(['run', '--rm', imageId, 'sh', '-c', 'test -e /stage || echo absent']).trim()).toBe(
        'absent'
      )
      if (builder === 'buildkit') {
        expect(lines).toContain('#1 [internal] load remote build context')
        expect(
          lines.some((l) => /^#\d+ \[base 2\/2\] RUN echo "greeting=hello-buildkit" > \/greeting$/.test(l))
        ).toBe(true)
        expect(lines.some((l) => /^#\d+ DONE \d+\.\ds$/.test(l))).toBe(true)
      } else {
        expect(lines).toContain('Step 1/4 : FROM busybox:stable AS base')
        expect(lines.some((l) => /^Successfully built [0-9a-f]{12}$/.test(l))).toBe(true)
      }
    })

    it(`a failing RUN shows the step and its output (${builder})`, async () => {
      const df = 'FROM busybox:stable\nRUN echo preparing && echo "disk quota exceeded" >&2 && exit 3\n'
      const err = await engine
        .build(opts(context(df), { builder }), () => {})
        .then(
          () => undefined,
          (e: Error) => e
        )
      expect(err).toBeInstanceOf(Error)
      const msg = (err as Error).message
      expect(msg).toMatch(/^the build failed at /)
      expect(msg).toContain('RUN echo preparing && echo "disk quota exceeded" >&2 && exit 3')
      expect(msg).toMatch(/exit code: 3|returned a non-zero code: 3/)
      // stdout and stderr arrive on separate streams, so their order may vary
      const output = msg.split('\n').slice(1).sort()
      expect(output).toEqual(['disk quota exceeded', 'preparing'])
      expect(msg).not.toContain('\x1b[')
    })
  }

  it('passes platform and cache-from to the engine', async () => {
    const arch = docker(['version', '--format', '{{.Server.Arch}}']).trim()
    const dir = context('FROM busybox:stable\nRUN echo cached-step > /c\n')
    const first = opts(dir, { builder: 'classic', platform: `linux/${arch}` })
    const { imageId } = await engine.build(first, () => {})
    images.push(imageId)
    expect((await engine.inspectImage(imageId))?.Architecture).toBe(arch)
    const lines: string[] = []
    const again = await engine.build(opts(dir, { builder: 'classic', cacheFrom: [first.tags[0]] }), (l) =>
      lines.push(l)
    )
    expect(again.imageId).toBe(imageId)
    expect(lines).toContain(' ---> Using cache')
  })

  it('reports a Dockerfile syntax error from the engine', async () => {
    await expect(engine.build(opts(context('FROM busybox:stable\nNOPE x\n')), () => {})).rejects.toThrow(
      /nope/i
    )
  })

  it('refuses an invalid tag before building', async () => {
    await expect(
      engine.build({ ...opts(context('FROM busybox:stable\n')), tags: ['Bad/Name:1'] }, () => {})
    ).rejects.toThrow(/"Bad\/Name:1"/)
  })
})

describe('inspect, export, tag, remove', () => {
  it('inspects, exports the image as docker save does, tags and removes', async () => {
    const id = await build('FROM busybox:stable\nRUN echo data > /data\nUSER app\nEXPOSE 8080\n')
    const img = await engine.inspectImage(id)
    expect(img?.Config.User).toBe('app')
    expect(Object.keys(img?.Config.ExposedPorts ?? {})).toEqual(['8080/tcp'])
    expect(img?.RootFS.Layers.length).toBeGreaterThanOrEqual(2)
    expect(img?.Os).toBe('linux')
    expect(await engine.inspectImage('si-no-such-image:never')).toBeUndefined()

    // Both export layouts carry manifest.json, whose Layers name the layer files: `<id>/layer.tar` from the
    // graph-driver store, `blobs/sha256/<hex>` (OCI layout) from the containerd store.
    const names: string[] = []
    let manifest = ''
    await new Promise<void>((resolve, reject) => {
      const ex = extract()
      ex.on('entry', (h, s, next) => {
        names.push(h.name)
        if (h.name === 'manifest.json') s.on('data', (d: unknown) => (manifest += String(d)))
        s.on('end', next)
        s.resume()
      })
      ex.on('finish', resolve)
      ex.on('error', reject)
      engine.exportImage(id).then((s) => s.pipe(ex), reject)
    })
    expect(names).toContain('manifest.json')
    const layers = (JSON.parse(manifest) as { Layers: string[] }[])[0].Layers
    expect(layers.length).toBe(img?.RootFS.Layers.length)
    for (const l of layers) expect(names).toContain(l)
    if (names.includes('index.json')) expect(names).toContain('oci-layout')

    const ref = `${uniqueName('si-engine-tag')}:x`
    await engine.tagImage(id, ref)
    expect((await engine.inspectImage(ref))?.Id).toBe(id)
    await engine.removeImage(ref)
    expect(await engine.inspectImage(ref)).toBeUndefined()
    await engine.removeImage(ref) // a second removal is not an error
  })
})

/** Each file of a tar archive with the SHA-256 of its content (the archive's own mtimes left out). */
async function tarContents(archive: Buffer): Promise<string[]> {
  const out: string[] = []
  await new Promise<void>((resolve, reject) => {
    const ex = extract()
    ex.on('entry', (h, s, next) => {
      const hash = createHash('sha256')
      s.on('data', (d: unknown) => hash.update(d as Buffer))
      s.on('end', () => {
        if (h.type === 'file') out.push(`${h.name} ${hash.digest('hex')}`)
        next()
      })
    })
    ex.on('finish', resolve)
    ex.on('error', reject)
    Readable.from([archive]).pipe(ex as unknown as NodeJS.WritableStream)
  })
  return out.sort()
}

describe('export read in place', () => {
  it('holds what docker save writes, and a missing image fails with the engine message', async () => {
    const id = await build('FROM busybox:stable\nRUN head -c 3000000 /dev/urandom > /noise\n')
    const stream = await engine.exportImage(id)
    // The light client's export lends its bytes in place to a reader that takes them that way (the scan).
    const inPlace = stream as NodeJS.ReadableStream & {
      readViews?: (onChunk: (view: Buffer) => void) => Promise<void>
    }
    expect(typeof inPlace.readViews).toBe('function')
    const views: Buffer[] = []
    await inPlace.readViews?.((v) => {
      views.push(Buffer.from(v))
    })
    const saved = execFileSync('docker', ['save', id], { maxBuffer: 256 * 1024 * 1024 })
    expect(await tarContents(Buffer.concat(views))).toEqual(await tarContents(saved))
    await expect(engine.exportImage('si-no-such-image:never')).rejects.toThrow(
      /^the Docker engine answered HTTP (404|500): /
    )
  })
})

describe('smokeTest (hardened runtime)', () => {
  const containersOf = (id: string): string => docker(['ps', '-aq', '--filter', `ancestor=${id}`]).trim()

  it('passes a well-behaved non-root service that keeps running', async () => {
    const id = await build(
      'FROM busybox:stable\nUSER app\nCMD ["sh", "-c", "echo ready; echo tmp > /tmp/ok; sleep 600"]\n'
    )
    const r = await engine.smokeTest(id, { seconds: 2 })
    expect(r).toEqual({ passed: true, reason: 'the container was still running after 2s', logs: ['ready'] })
    expect(containersOf(id)).toBe('')
  })

  it('passes when the HEALTHCHECK turns healthy', async () => {
    const id = await build(
      'FROM busybox:stable\nUSER 10001\nHEALTHCHECK --interval=1s --timeout=2s CMD test -f /tmp/up\nCMD ["sh", "-c", "touch /tmp/up; sleep 600"]\n'
    )
    const t = Date.now()
    const r = await engine.smokeTest(id, { seconds: 60 })
    expect(r.passed).toBe(true)
    expect(r.reason).toBe('the HEALTHCHECK turned healthy')
    expect(Date.now() - t).toBeLessThan(30000)
    expect(containersOf(id)).toBe('')
  })

  it('passes a job that exits 0', async () => {
    const id = await build('FROM busybox:stable\nUSER nobody\nCMD ["echo", "done"]\n')
    expect(await engine.smokeTest(id, { seconds: 5 })).toEqual({
      passed: true,
      reason: 'the container exited with code 0',
      logs: ['done']
    })
  })

  it('fails an image that writes to /', async () => {
    const id = await build(
      'FROM busybox:stable\nUSER app\nCMD ["sh", "-c", "echo writing state; echo x > /state"]\n'
    )
    const r = await engine.smokeTest(id, { seconds: 5 })
    expect(r.passed).toBe(false)
    expect(r.reason).toMatch(/exited with code [1-9]/)
    expect(r.logs).toContain('writing state')
    expect(r.logs.join('\n')).toMatch(/Read-only file system/)
    expect(containersOf(id)).toBe('')
  })

  it('fails an image that needs root (a capability)', async () => {
    const id = await build('FROM busybox:stable\nUSER app\nCMD ["sh", "-c", "chroot / true && sleep 600"]\n')
    const r = await engine.smokeTest(id, { seconds: 5 })
    expect(r.passed).toBe(false)
    expect(r.reason).toMatch(/exited with code 1 under the hardened runtime/)
    expect(r.logs.join('\n')).toMatch(/Operation not permitted/)
  })

  it('fails an unhealthy HEALTHCHECK', async () => {
    const id = await build(
      'FROM busybox:stable\nUSER app\nHEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD false\nCMD ["sleep", "600"]\n'
    )
    const r = await engine.smokeTest(id, { seconds: 60 })
    expect(r).toMatchObject({ passed: false, reason: 'the HEALTHCHECK turned unhealthy' })
  })

  it('refuses an image that runs as root, without running it', async () => {
    for (const user of ['', 'USER root\n', 'USER 0:0\n']) {
      const id = await build(`FROM busybox:stable\n${user}CMD ["true"]\n`)
      const r = await engine.smokeTest(id, { seconds: 1 })
      expect(r.passed).toBe(false)
      expect(r.reason).toMatch(/runs as root/)
      expect(containersOf(id)).toBe('')
    }
  })
})
