/**
 * The real engine and registry the tests run against, as `scripts/test-env.sh` set them up. Tests that need
 * them fail (never skip) when they are missing, with the command that starts them.
 */
import { appendFileSync, readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'

export interface TestEnv {
  /** `127.0.0.1:PORT` */
  registry: string
  username: string
  password: string
}

const STATE = process.env.SI_STATE_DIR ?? '/var/lib/secure-image-test'

export function testEnv(): TestEnv {
  try {
    return JSON.parse(readFileSync(`${STATE}/env.json`, 'utf8')) as TestEnv
  } catch {
    throw new Error(
      `the test environment is not set up: run \`bash scripts/test-env.sh\` (reads ${STATE}/env.json)`
    )
  }
}

/**
 * The engine under test: DOCKER_HOST when set (the modern engine's socket in the second pass of `npm test`),
 * else the default socket. Every helper that talks to the engine directly takes its socket from here.
 */
export function engineSocket(): string {
  const host = process.env.DOCKER_HOST
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock'
}

/** The image store of the engine under test, as `docker info` reports it. */
export function imageStore(): 'containerd' | 'graphdriver' {
  const status = docker(['info', '--format', '{{json .DriverStatus}}'])
  return status.includes('io.containerd.snapshotter.v1') ? 'containerd' : 'graphdriver'
}

/** Runs the docker CLI (test set-up only; the product talks to the engine through src/docker). */
export function docker(args: string[], input?: string | Buffer): string {
  return execFileSync('docker', args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 })
}

/**
 * Removes the names given (tags or refs), never an image ID: BuildKit's cache gives equal builds in other
 * suites the same ID, and removing it would pull the image out from under a test that runs beside this one.
 * A name that is already gone is not an error.
 *
 * Under `npm test` (SI_CLEANUP_FILE set) the names are only recorded, and scripts/test.mjs removes them once the
 * pass's suites have all finished. Removing an image while another suite builds is not safe on the containerd
 * store: the classic builder's cache walks every child of the base image, and one removed between its listing and
 * its lookup fails that build with `unable to find image "sha256:…"` (moby's image/cache, getLocalCachedImage).
 */
export function untag(...names: string[]): void {
  const refs = names.filter((n) => !n.startsWith('sha256:'))
  const deferTo = process.env.SI_CLEANUP_FILE
  if (deferTo) {
    appendFileSync(deferTo, refs.map((r) => `${r}\n`).join(''))
    return
  }
  for (const name of refs) {
    try {
      execFileSync('docker', ['image', 'rm', name], { stdio: 'ignore' })
    } catch {
      // already gone
    }
  }
}

/** A name unique to this test run, for images and registry repositories. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`
}
