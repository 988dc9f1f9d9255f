/** Images pushed to the test registry for the signing tests, and key pairs made for them. */
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine } from '../../src/docker/engine.js'
import { buildOptions } from './build.js'
import { testEnv, uniqueName } from './testenv.js'
import type { Report } from '../../src/findings.js'

const engine = createEngine({ retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 400 } })

export function registryAuth() {
  const env = testEnv()
  return { registry: env.registry, username: env.username, password: env.password }
}

/** Builds a tiny image with unique content, pushes it as `registry/repo:tag`, and returns its digest. */
export async function pushUniqueImage(
  repo: string,
  tag: string
): Promise<{ ref: string; digest: string; id: string }> {
  const env = testEnv()
  const dir = mkdtempSync(join(tmpdir(), 'si-sign-'))
  writeFileSync(
    join(dir, 'Dockerfile'),
    `FROM busybox:stable\nRUN echo ${uniqueName('c')} > /stamp\nUSER 1000\n`
  )
  const ref = `${env.registry}/${repo}:${tag}`
  const { imageId } = await engine.build(buildOptions(dir, ref), () => {})
  const pushed = await engine.push(imageId, [ref], registryAuth(), () => {})
  if (!pushed.digest) throw new Error('the push gave no digest')
  return { ref, digest: pushed.digest, id: imageId }
}

/** An ECDSA P-256 key pair as PEM. */
export function p256(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString()
  }
}

/** A report whose gate passed, for the image `digest`. */
export function passingReport(digest: string): Report {
  return {
    tool: { name: 'secure-image', version: '0.0.0-test' },
    image: { ref: 'test', id: 'sha256:' + 'a'.repeat(64), digest },
    findings: [
      {
        category: 'lint',
        ruleId: 'DL3008',
        severity: 'medium',
        message: 'pin versions',
        location: { path: 'Dockerfile', startLine: 2 }
      }
    ],
    gate: { passed: true, threshold: 'high', failing: 0 }
  }
}
