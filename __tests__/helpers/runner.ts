/**
 * Runs the bundled action (dist/index.cjs) the way the GitHub runner does: every action.yml input as an
 * `INPUT_*` variable with the declared default applied, the event payload in GITHUB_EVENT_PATH, and the
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and RUNNER_TEMP files.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const ACTION = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>
  runs: { main: string }
}

export interface RunnerEvent {
  name: string
  ref: string
  sha: string
  payload: Record<string, unknown>
}

export interface RunOptions {
  workspace: string
  inputs: Record<string, string>
  event: RunnerEvent
  apiUrl: string
  /** The value `${{ github.token }}` evaluates to. */
  token: string
  repository?: string
  env?: Record<string, string>
  timeoutMs?: number
}

export interface RunResult {
  code: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  tempDir: string
}

/** Parses the GITHUB_OUTPUT file (`name<<DELIM … DELIM` blocks and `name=value` lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delim] = heredoc
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i])
      out[name] = value.join('\n')
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return out
}

export async function runAction(opts: RunOptions): Promise<RunResult> {
  const temp = mkdtempSync(path.join(tmpdir(), 'si-runner-'))
  const eventPath = path.join(temp, 'event.json')
  const outputPath = path.join(temp, 'output.txt')
  const summaryPath = path.join(temp, 'summary.md')
  writeFileSync(eventPath, JSON.stringify(opts.event.payload))
  writeFileSync(outputPath, '')
  writeFileSync(summaryPath, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: opts.event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: opts.event.ref,
    GITHUB_SHA: opts.event.sha,
    GITHUB_REPOSITORY: opts.repository ?? 'acme/app',
    GITHUB_REPOSITORY_OWNER: (opts.repository ?? 'acme/app').split('/')[0],
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_API_URL: opts.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_GRAPHQL_URL: `${opts.apiUrl}/graphql`,
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_JOB: 'build',
    GITHUB_ACTION: 'secure-image',
    GITHUB_WORKFLOW: 'ci',
    GITHUB_ACTOR: 'octocat',
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
    ...opts.env
  }
  for (const [name, spec] of Object.entries(ACTION.inputs)) {
    let value = opts.inputs[name] ?? spec.default ?? ''
    value = value.replace(/\$\{\{\s*github\.token\s*\}\}/g, opts.token)
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  for (const name of Object.keys(opts.inputs)) {
    if (!(name in ACTION.inputs)) throw new Error(`action.yml has no input "${name}"`)
  }
  const main = path.join(ROOT, ACTION.runs.main)
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main], {
      cwd: opts.workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        outputs: parseOutputFile(readFileSync(outputPath, 'utf8')),
        summary: readFileSync(summaryPath, 'utf8'),
        tempDir: temp
      })
    })
  })
}

export const SHA = 'f00dfacecafebeef0123456789abcdef01234567'

export function pullRequestEvent(number: number, opts: { fork?: boolean } = {}): RunnerEvent {
  return {
    name: 'pull_request',
    ref: `refs/pull/${number}/merge`,
    sha: SHA,
    payload: {
      action: 'synchronize',
      number,
      pull_request: {
        number,
        head: { sha: SHA, ref: 'feature', repo: { full_name: opts.fork ? 'stranger/app' : 'acme/app' } },
        base: { ref: 'main', repo: { full_name: 'acme/app' } }
      },
      repository: { full_name: 'acme/app', name: 'app', owner: { login: 'acme' } }
    }
  }
}

export function pushEvent(ref: string): RunnerEvent {
  return {
    name: 'push',
    ref,
    sha: SHA,
    payload: { ref, after: SHA, repository: { full_name: 'acme/app', name: 'app', owner: { login: 'acme' } } }
  }
}

/**
 * Asserts the action's exit code; when it differs, the failure shows the action's last output lines, so a
 * failing end-to-end test says why the action failed.
 */
export function expectExit(r: RunResult, code: number): void {
  if (r.code === code) return
  const tail = (r.stdout + (r.stderr ? `\n--- stderr ---\n${r.stderr}` : ''))
    .split('\n')
    .slice(-40)
    .join('\n')
  throw new Error(`the action exited ${r.code}, expected ${code}; its last output lines:\n${tail}`)
}
