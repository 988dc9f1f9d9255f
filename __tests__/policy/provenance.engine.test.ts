/**
 * Provenance against the real engine and registry: images are built here (classic builder through the CLI,
 * BuildKit through the Engine API), inspected with `docker image inspect`, and checked.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { docker, engineSocket, imageStore, testEnv, uniqueName, untag } from '../helpers/testenv.js'
import { headManifestDigest } from '../../src/docker/registry.js'
import { parseDockerfile } from '../../src/dockerfile/parse.js'
import { evaluateGate } from '../../src/findings.js'
import { checkPolicy } from '../../src/policy/check.js'
import { checkProvenance, finalBaseReference, namesToVerify } from '../../src/policy/provenance.js'

interface Inspect {
  Id: string
  RepoTags: string[] | null
  RepoDigests: string[] | null
  RootFS: { Layers?: string[] }
}

const made: string[] = []
const dirs: string[] = []

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'si-policy-'))
  dirs.push(d)
  return d
}

/** Builds with the classic builder through the docker CLI (no context). */
function buildClassic(
  dockerfile: string,
  tag: string,
  buildArgs: Record<string, string> = {},
  env = process.env
): void {
  const args = [
    'build',
    '-q',
    '-t',
    tag,
    ...Object.entries(buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    '-'
  ]
  execFileSync('docker', args, {
    input: dockerfile,
    env: { ...env, DOCKER_BUILDKIT: '0' },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  made.push(tag)
}

/** Builds with BuildKit through the Engine API (`POST /build?version=2`), as the action does. */
function buildKit(dockerfile: string, tag: string): void {
  const dir = tempDir()
  writeFileSync(join(dir, 'Dockerfile'), dockerfile)
  execFileSync('tar', ['-C', dir, '-cf', join(dir, 'ctx.tar'), 'Dockerfile'])
  const out = execFileSync(
    'curl',
    [
      '-sS',
      '--unix-socket',
      engineSocket(),
      '-X',
      'POST',
      '-H',
      'Content-Type: application/x-tar',
      '--data-binary',
      `@${join(dir, 'ctx.tar')}`,
      `http://localhost/v1.41/build?version=2&t=${encodeURIComponent(tag)}`
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }
  )
  made.push(tag)
  for (const line of out.split('\n')) {
    if (!line.trim()) continue
    const msg = JSON.parse(line) as { error?: string }
    if (msg.error) throw new Error(`BuildKit build of ${tag} failed: ${msg.error}`)
  }
}

function inspect(ref: string): Inspect {
  return (JSON.parse(docker(['image', 'inspect', ref])) as Inspect[])[0]
}

function tag(source: string, target: string): void {
  docker(['tag', source, target])
  made.push(target)
}

/**
 * The pipeline's provenance step: the built image and the engine's image for the Dockerfile's final base, and
 * on the containerd store what the registries of its allowed names serve (asked with the test registry's
 * credentials).
 */
async function provenance(
  dockerfile: string,
  built: string,
  allowed: string[],
  buildArgs?: Map<string, string>
) {
  const model = parseDockerfile(dockerfile, 'Dockerfile')
  const base = finalBaseReference(model, buildArgs)
  if (!base) throw new Error('no base')
  const b = inspect(base.ref)
  const info = {
    id: b.Id,
    repoTags: b.RepoTags ?? [],
    repoDigests: b.RepoDigests ?? [],
    layers: b.RootFS.Layers ?? []
  }
  const store = imageStore()
  const auth = { registry: env.registry, username: env.username, password: env.password }
  const registryEvidence =
    store === 'containerd'
      ? await Promise.all(
          namesToVerify(info, allowed).map(async (name) =>
            headManifestDigest(name, name.startsWith(env.registry) ? auth : undefined).then(
              (digest) => ({ name, digest }),
              (e: Error) => ({ name, error: e.message })
            )
          )
        )
      : undefined
  return checkProvenance({
    built: { layers: inspect(built).RootFS.Layers ?? [] },
    base: info,
    expected: base.ref,
    line: base.line,
    path: model.path,
    allowedRegistries: allowed,
    store,
    ...(registryEvidence ? { registryEvidence } : {})
  })
}

/** An approved base of our own (busybox plus a unique layer), so that no other test's tags land on it. */
function makeBase(name: string): string {
  const ref = `${uniqueName(name)}:1`
  buildClassic(`FROM busybox:stable\nRUN echo "${ref}" > /base.txt\n`, ref)
  return ref
}

let env: ReturnType<typeof testEnv>

beforeAll(() => {
  env = testEnv()
  docker(['image', 'inspect', 'busybox:stable'])
})

afterAll(() => {
  untag(...made)
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('provenance against the real engine', () => {
  it('passes an image built (classic builder and BuildKit) on an approved local base', async () => {
    const base = makeBase('si-policy-base')
    const dockerfile = `FROM ${base}\nRUN echo app > /app.txt\n`
    expect(
      checkPolicy(parseDockerfile(dockerfile), {
        allowedRegistries: ['docker.io/library'],
        requireDigest: false
      })
    ).toEqual([])

    for (const build of [buildClassic, buildKit]) {
      const built = uniqueName('si-policy-app') + ':1'
      build(dockerfile, built)
      const layers = inspect(built).RootFS.Layers ?? []
      expect(layers.slice(0, 2)).toEqual(inspect(base).RootFS.Layers)
      expect(layers).toHaveLength(3)
      expect(await provenance(dockerfile, built, ['docker.io/library'])).toEqual([])
      // the same real images, with a list that does not hold the base's repository
      const [f] = await provenance(dockerfile, built, ['ghcr.io/acme'])
      expect(f).toMatchObject({ ruleId: 'SI2005', severity: 'critical', location: { startLine: 1 } })
      expect(f.message).toContain('none of its names is in an allowed registry')
    }
  })

  it('fails a base made to look approved by re-tagging a different image before the build', async () => {
    const evil = `${env.registry}/${uniqueName('si-policy-evil')}:1`
    buildClassic('FROM busybox:stable\nRUN echo evil > /evil\n', evil)
    const approved = `${uniqueName('si-policy-approved')}:1`
    tag(evil, approved)

    const dockerfile = `FROM ${approved}\nRUN echo app > /app.txt\n`
    // the text check sees only an approved name
    expect(
      checkPolicy(parseDockerfile(dockerfile), {
        allowedRegistries: ['docker.io/library'],
        requireDigest: false
      })
    ).toEqual([])

    const built = uniqueName('si-policy-app') + ':1'
    buildKit(dockerfile, built)
    expect(inspect(built).RootFS.Layers?.slice(0, 2)).toEqual(inspect(evil).RootFS.Layers)

    const findings = await provenance(dockerfile, built, ['docker.io/library'])
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ category: 'policy', ruleId: 'SI2005', severity: 'critical' })
    expect(findings[0].message).toContain(`The built image does not sit on the approved base ${approved}`)
    // Equal builds elsewhere may share the image, so its other names may come first in the list.
    const names = /is also known as (.*?), outside the allowed registries/.exec(findings[0].message)?.[1]
    expect(names?.split(', ')).toContain(evil.replace(/:1$/, ''))
    expect(evaluateGate(findings, 'high').passed).toBe(false)
  })

  it('fails when the approved name is re-pointed to a different image after the build', async () => {
    const base = makeBase('si-policy-base')
    const dockerfile = `FROM ${base}\nRUN echo app > /app.txt\n`
    const built = uniqueName('si-policy-app') + ':1'
    buildClassic(dockerfile, built)
    expect(await provenance(dockerfile, built, ['docker.io/library'])).toEqual([])

    const other = `${uniqueName('si-policy-other')}:1`
    buildClassic('FROM busybox:stable\nRUN echo other > /other\n', other)
    // A second name keeps the old base in the store: re-pointing its only name would drop it from under the
    // classic builds of other suites, whose cache walks every image built on busybox.
    tag(base, `${uniqueName('si-policy-old-base')}:1`)
    tag(other, base)
    const [f] = await provenance(dockerfile, built, ['docker.io/library'])
    expect(f).toMatchObject({ ruleId: 'SI2005', severity: 'critical' })
    expect(f.message).toMatch(/layer 2 of the built image is sha256:[0-9a-f]{12}, not the base's/)
  })

  it('fails when a build-arg the policy check did not see changed the base', async () => {
    const approved = makeBase('si-policy-base')
    const other = `${uniqueName('si-policy-other')}:1`
    buildClassic('FROM busybox:stable\nRUN echo other > /other\n', other)
    const dockerfile = `ARG BASE=${approved}\nFROM \${BASE}\nRUN echo app > /app.txt\n`
    const built = uniqueName('si-policy-app') + ':1'
    buildClassic(dockerfile, built, { BASE: other })
    const [f] = await provenance(dockerfile, built, ['docker.io/library'])
    expect(f).toMatchObject({ ruleId: 'SI2005', location: { startLine: 2 } })
    expect(f.message).toContain('layer 2 of the built image')
    // with the build-arg the build used, the check follows the real base, which is allowed here
    expect(await provenance(dockerfile, built, ['docker.io/library'], new Map([['BASE', other]]))).toEqual([])
  })

  it('passes a digest-pinned base from an allowed registry', async () => {
    const config = tempDir()
    const cli = { ...process.env, DOCKER_CONFIG: config }
    const run = (args: string[], input?: string): string =>
      execFileSync('docker', args, { env: cli, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })
    run(['login', '--username', env.username, '--password-stdin', env.registry], env.password)
    let manifest: string | undefined
    const repo = `${env.registry}/library/busybox`
    try {
      const base = makeBase('si-policy-base')
      const pushed = `${repo}:${uniqueName('si')}`
      tag(base, pushed)
      run(['push', pushed])
      const digestRef = (inspect(pushed).RepoDigests ?? []).find((d) => d.startsWith(`${repo}@sha256:`))
      expect(digestRef).toMatch(/@sha256:[0-9a-f]{64}$/)
      manifest = digestRef?.split('@')[1]

      const dockerfile = `FROM ${digestRef}\nRUN echo app > /app.txt\n`
      const model = parseDockerfile(dockerfile)
      expect(checkPolicy(model, { allowedRegistries: [env.registry], requireDigest: true })).toEqual([])
      const outside = checkPolicy(model, { allowedRegistries: ['docker.io/library'], requireDigest: true })
      expect(outside.map((f) => f.ruleId)).toEqual(['SI2001'])
      expect(evaluateGate(outside, 'high').passed).toBe(false)

      const built = uniqueName('si-policy-app') + ':1'
      buildClassic(dockerfile, built, {}, cli)
      expect(await provenance(dockerfile, built, [env.registry])).toEqual([])
      expect(await provenance(dockerfile, built, [`${env.registry}/library/busybox`])).toEqual([])
      expect((await provenance(dockerfile, built, [`${env.registry}/acme`]))[0].message).toContain(
        'none of its names is in an allowed registry'
      )
    } finally {
      if (manifest) {
        execFileSync('curl', [
          '-sS',
          '-o',
          '/dev/null',
          '-u',
          `${env.username}:${env.password}`,
          '-X',
          'DELETE',
          `http://${env.registry}/v2/library/busybox/manifests/${manifest}`
        ])
      }
      run(['logout', env.registry])
    }
  })
})
