/**
 * ShellCheck over RUN instructions, through the `shellcheck` binary (GitHub's ubuntu runners ship it; Debian's
 * `shellcheck` package serves elsewhere). There is no ShellCheck library for JavaScript, so the binary is run
 * with `@actions/exec`: the scripts of many RUNs (of one Dockerfile or many) are written to a temporary
 * directory and checked in batches, one process per batch, with `--format=json1`. Its comments become findings
 * with the SC code as rule id and the Dockerfile line of the comment.
 *
 * Exclusions are hadolint's defaults: SC2187 (ash is checked as dash) and SC1090 (a `source` of a computed path
 * needs a directive a Dockerfile cannot hold). `--norc` keeps a `.shellcheckrc` on the machine out of the result.
 */
import { getExecOutput } from '@actions/exec'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { HadolintLevel } from './config.js'
import type { ShellcheckScript } from './shellcheck-scripts.js'

export const DEFAULT_EXCLUSIONS = ['SC2187', 'SC1090']

export interface ShellcheckOptions {
  /** The binary to run (default `shellcheck`, found on PATH). */
  command?: string
  /** Scripts per ShellCheck process (default 200). */
  batchSize?: number
}

/** One ShellCheck comment, tied to the script it came from and mapped to Dockerfile lines. */
export interface ShellcheckComment {
  script: ShellcheckScript
  code: string
  level: HadolintLevel
  message: string
  line: number
  endLine: number
}

export type ShellcheckResult =
  { ran: true; version: string; comments: ShellcheckComment[] } | { ran: false; reason: string }

interface Json1 {
  comments: {
    file: string
    line: number
    endLine: number
    level: string
    code: number
    message: string
  }[]
}

const versions = new Map<string, Promise<string | null>>()

/** The ShellCheck version of `command`, or null when it cannot be started (asked once per process). */
export function shellcheckVersion(command = 'shellcheck'): Promise<string | null> {
  let v = versions.get(command)
  if (!v) {
    v = getExecOutput(command, ['--version'], { silent: true, ignoreReturnCode: true }).then(
      (r) => (r.exitCode === 0 ? (/^version:\s*(\S+)/m.exec(r.stdout)?.[1] ?? 'unknown') : null),
      () => null
    )
    versions.set(command, v)
  }
  return v
}

/**
 * Runs ShellCheck over the scripts in batches. Resolves `{ ran: false }` when no ShellCheck can be started;
 * rejects when ShellCheck started but failed (a check that broke must not read as clean).
 */
export async function runShellcheck(
  scripts: ShellcheckScript[],
  options: ShellcheckOptions = {}
): Promise<ShellcheckResult> {
  const command = options.command ?? 'shellcheck'
  const version = await shellcheckVersion(command)
  if (version === null) return { ran: false, reason: `\`${command}\` is not installed or not on PATH` }
  if (scripts.length === 0) return { ran: true, version, comments: [] }
  const dir = await mkdtemp(join(tmpdir(), 'secure-image-sc-'))
  try {
    const files = scripts.map((_, i) => join(dir, `run${i}.sh`))
    await Promise.all(scripts.map((s, i) => writeFile(files[i], s.text)))
    const byFile = new Map(files.map((f, i) => [f, scripts[i]]))
    const size = Math.max(1, options.batchSize ?? 200)
    const batches: string[][] = []
    for (let i = 0; i < files.length; i += size) batches.push(files.slice(i, i + size))
    const comments: ShellcheckComment[] = []
    const workers = Math.min(batches.length, Math.max(1, Math.min(2, availableParallelism())))
    let next = 0
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (next < batches.length) {
          const batch = batches[next++]
          for (const c of await checkBatch(command, batch)) {
            const script = byFile.get(c.file)
            if (script) comments.push(toComment(script, c))
          }
        }
      })
    )
    return { ran: true, version, comments }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function checkBatch(command: string, files: string[]): Promise<Json1['comments']> {
  const args = ['--norc', '--format=json1', `--exclude=${DEFAULT_EXCLUSIONS.join(',')}`, '--', ...files]
  const r = await getExecOutput(command, args, { silent: true, ignoreReturnCode: true })
  // 0: no comments, 1: comments; anything else is ShellCheck failing.
  if (r.exitCode !== 0 && r.exitCode !== 1) {
    throw new Error(`shellcheck exited with ${r.exitCode}: ${r.stderr.trim().split('\n')[0] ?? ''}`)
  }
  let parsed: Json1
  try {
    parsed = JSON.parse(r.stdout) as Json1
  } catch {
    throw new Error('shellcheck printed no JSON report')
  }
  if (!Array.isArray(parsed.comments)) throw new Error('shellcheck printed no JSON report')
  return parsed.comments
}

const LEVELS: Record<string, HadolintLevel> = {
  error: 'error',
  warning: 'warning',
  info: 'info',
  style: 'style'
}

function toComment(script: ShellcheckScript, c: Json1['comments'][number]): ShellcheckComment {
  const map = (l: number): number => script.lineMap[l - script.header - 1] ?? script.ins.startLine
  const line = map(c.line)
  return {
    script,
    code: `SC${c.code}`,
    level: LEVELS[c.level] ?? 'error',
    message: c.message,
    line,
    endLine: Math.max(line, map(c.endLine ?? c.line))
  }
}
