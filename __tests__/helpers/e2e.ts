/** Shared pieces of the end-to-end tests: workspaces with the sample app, credentials, secret checks. */
import { expect } from '@jest/globals'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import type { RunResult } from './runner.js'
import { testEnv } from './testenv.js'

export const ROOT = process.cwd()
export const OSV_FIXTURES = path.join(ROOT, '__tests__/fixtures/e2e-osv')
export const GOOD_DOCKERFILE = readFileSync(path.join(ROOT, 'examples/app/Dockerfile'), 'utf8')
/** A clean Dockerfile on the Debian 12 base, whose packages the e2e OSV fixtures mark vulnerable. */
export const VULNERABLE_DOCKERFILE = [
  'FROM debian:bookworm',
  'RUN mkdir -p /srv/www && echo ok > /srv/www/index.html',
  'USER 10001:10001',
  'HEALTHCHECK --interval=30s CMD ["test", "-f", "/srv/www/index.html"]',
  'CMD ["sleep", "infinity"]',
  ''
].join('\n')

/** A workspace holding the sample app, with an optional Dockerfile and config file. */
export function workspace(opts: { dockerfile?: string; config?: string } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'si-ws-'))
  cpSync(path.join(ROOT, 'examples/app'), dir, { recursive: true })
  if (opts.dockerfile) writeFileSync(path.join(dir, 'Dockerfile'), opts.dockerfile)
  if (opts.config) {
    mkdirSync(path.join(dir, '.github'), { recursive: true })
    writeFileSync(path.join(dir, '.github/secure-image.yml'), opts.config)
  }
  return dir
}

export function repoFor(name: string, registry = testEnv().registry): { repo: string; image: string } {
  const repo = `e2e/${name}`
  return { repo, image: `${registry}/${repo}` }
}

export function credentials(registry = testEnv().registry): Record<string, string> {
  const env = testEnv()
  return { registry, username: env.username, password: env.password }
}

/** Every stream and file a run produced, plus what reached the GitHub stand-in. */
export function everything(r: RunResult, requests: unknown[] = []): string {
  // `::add-mask::` lines hand a secret to the runner so that it masks it; they are the one place it may appear.
  const stdout = r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')
  let text = stdout + r.stderr + r.summary + JSON.stringify(r.outputs)
  for (const key of ['report', 'sarif', 'sbom']) {
    if (r.outputs[key]) text += readFileSync(r.outputs[key], 'utf8')
  }
  // What the product sent to GitHub: the bodies (the Authorization header carries the token by design).
  return text + JSON.stringify(requests.map((q) => (q as { body?: unknown }).body ?? null))
}

export function expectNoSecrets(r: RunResult, secrets: string[], requests: unknown[] = []): void {
  const all = everything(r, requests)
  for (const s of secrets) expect(all).not.toContain(s)
}

/** Annotations on a file and line, whether written as workflow commands or through the Checks API. */
export function annotationsAt(
  r: RunResult,
  file: string,
  line: number,
  requests: { body?: unknown }[] = []
): string[] {
  const found: string[] = []
  const re = /^::(error|warning|notice) (.*?)::(.*)$/gm
  for (const m of r.stdout.matchAll(re)) {
    if (m[2].includes(`file=${file}`) && new RegExp(`(^|,)line=${line}(,|$)`).test(m[2]))
      found.push(`${m[1]} ${m[2]} ${m[3]}`)
  }
  for (const req of requests) {
    const body = req.body as
      | {
          output?: {
            annotations?: {
              path: string
              start_line: number
              annotation_level: string
              title?: string
              message: string
            }[]
          }
        }
      | undefined
    for (const a of body?.output?.annotations ?? []) {
      if (a.path === file && a.start_line === line)
        found.push(`${a.annotation_level} ${a.title ?? ''} ${a.message}`)
    }
  }
  return found
}
