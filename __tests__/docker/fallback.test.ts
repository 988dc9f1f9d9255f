/**
 * The classic builder takes over when BuildKit is unavailable: the real engine builds, behind a shim that makes it
 * look like an engine without BuildKit (an old API version, or a daemon that refuses `version=2` builds).
 */
import { describe, it, expect, afterAll } from '@jest/globals'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine, type BuildOptions } from '../../src/docker/engine.js'
import { testEnv, uniqueName, untag } from '../helpers/testenv.js'
import { buildOptions } from '../helpers/build.js'
import { engineShim } from '../helpers/faults.js'

testEnv()
const images: string[] = []
const dirs: string[] = []

afterAll(async () => {
  untag(...images)
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function fallbackBuild(builder: BuildOptions['builder']): BuildOptions {
  const dir = mkdtempSync(join(tmpdir(), 'si-fallback-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox:stable\nRUN echo built > /built\nUSER 10001\n')
  const tag = `${uniqueName('si-fallback')}:t`
  images.push(tag)
  return buildOptions(dir, tag, { noCache: true, builder })
}

/** Builds a Dockerfile whose step fails, through a shim that only counts: the error, and how many builds ran. */
async function failingBuild(
  dockerfile: string,
  builder: BuildOptions['builder']
): Promise<{ err: Error | undefined; builds: number }> {
  const shim = await engineShim({})
  try {
    const engine = createEngine({ dockerHost: shim.dockerHost })
    const dir = mkdtempSync(join(tmpdir(), 'si-fallback-'))
    dirs.push(dir)
    writeFileSync(join(dir, 'Dockerfile'), dockerfile)
    const tag = `${uniqueName('si-fallback')}:fails`
    const err = await engine
      .build(buildOptions(dir, tag, { noCache: true, builder }), () => {})
      .then(
        () => undefined,
        (e: Error) => e
      )
    const builds = shim.requests.filter((r) => r.startsWith('POST') && r.includes('/build?')).length
    return { err, builds }
  } finally {
    await shim.close()
  }
}

describe('classic fallback', () => {
  it('builds with the classic builder on an engine whose API predates BuildKit', async () => {
    const shim = await engineShim({ apiVersion: '1.38' })
    try {
      const engine = createEngine({ dockerHost: shim.dockerHost })
      expect((await engine.info()).buildkit).toBe(false)
      const lines: string[] = []
      const { imageId } = await engine.build(fallbackBuild('auto'), (l) => lines.push(l))
      expect(imageId).toMatch(/^sha256:/)
      expect(lines.some((l) => /^Step 2\/3 : RUN echo built/.test(l))).toBe(true)
      expect(shim.requests.some((r) => /\/build\?.*version=2/.test(r))).toBe(false)
      await expect(engine.build(fallbackBuild('buildkit'), () => {})).rejects.toThrow(
        /BuildKit is not available/
      )
    } finally {
      await shim.close()
    }
  })

  it('falls back to classic when the engine refuses a BuildKit build', async () => {
    const shim = await engineShim({ rejectBuildkit: true })
    try {
      const engine = createEngine({ dockerHost: shim.dockerHost })
      expect((await engine.info()).buildkit).toBe(true)
      const lines: string[] = []
      const { imageId } = await engine.build(fallbackBuild('auto'), (l) => lines.push(l))
      expect(imageId).toMatch(/^sha256:/)
      expect(shim.requests.filter((r) => r.startsWith('POST') && r.includes('/build?')).length).toBe(2)
      expect(lines.some((l) => /classic builder/.test(l))).toBe(true)
      expect(lines.some((l) => /^Step 2\/3 : RUN echo built/.test(l))).toBe(true)
    } finally {
      await shim.close()
    }
  })

  it('rebuilds with classic when BuildKit cannot read the uploaded context (moby#47717), and says why', async () => {
    const shim = await engineShim({ uploadedContextBug: true })
    try {
      const engine = createEngine({ dockerHost: shim.dockerHost })
      const lines: string[] = []
      const { imageId } = await engine.build(fallbackBuild('auto'), (l) => lines.push(l))
      expect(imageId).toMatch(/^sha256:/)
      expect(shim.requests.filter((r) => r.startsWith('POST') && r.includes('/build?')).length).toBe(2)
      expect(lines.some((l) => /moby\/moby#47717/.test(l) && /27\.5/.test(l))).toBe(true)
      // builder: buildkit asked for BuildKit only: the error is the user's to see.
      await expect(engine.build(fallbackBuild('buildkit'), () => {})).rejects.toThrow(
        /failed to read downloaded context/
      )
    } finally {
      await shim.close()
    }
  })

  it('builds once more when the classic builder lost its cache race, and says why', async () => {
    const shim = await engineShim({ classicCacheRace: true })
    try {
      const engine = createEngine({ dockerHost: shim.dockerHost })
      const lines: string[] = []
      const { imageId } = await engine.build(fallbackBuild('classic'), (l) => lines.push(l))
      expect(imageId).toMatch(/^sha256:/)
      expect(shim.requests.filter((r) => r.startsWith('POST') && r.includes('/build?')).length).toBe(2)
      expect(lines).toContain(
        "the engine's build cache lost track of an image that was removed while this build looked it up " +
          `(unable to find image "sha256:${'c3'.repeat(32)}"); building once more`
      )
      expect((await engine.inspectImage(imageId))?.Config.User).toBe('10001')
    } finally {
      await shim.close()
    }
  })

  it('never builds again when a classic step fails with words like the cache race', async () => {
    const { err, builds } = await failingBuild(
      `FROM busybox:stable\nRUN echo 'unable to find image "sha256:${'c3'.repeat(32)}"' >&2 && exit 3\n`,
      'classic'
    )
    expect(err?.message).toMatch(/returned a non-zero code: 3/)
    expect(builds).toBe(1)
  })

  it('never rebuilds because a failing step printed words like "unsupported version"', async () => {
    const { err, builds } = await failingBuild(
      'FROM busybox:stable\nRUN echo "Unsupported class file major version 61; buildkit not supported" && exit 3\n',
      'auto'
    )
    expect(err?.message).toMatch(/the build failed at .*RUN echo/)
    expect(err?.message).toMatch(/Unsupported class file major version 61/)
    expect(builds).toBe(1)
  })
})
