/**
 * The GitHub API client, with a deadline on every request. `@actions/github`'s client has no timeout of its own
 * (octokit's `request.timeout` is gone since it moved to fetch), so a request that hangs would hold the step
 * until the job's timeout. Each request gets its own deadline through the client's `fetch` hook.
 */
import * as github from '@actions/github'

export type Octokit = ReturnType<typeof github.getOctokit>

/** Per-request deadline: 30 s, or SECURE_IMAGE_GITHUB_TIMEOUT_MS (a whole number of milliseconds). */
export function githubTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.SECURE_IMAGE_GITHUB_TIMEOUT_MS)
  return Number.isInteger(n) && n > 0 ? n : 30_000
}

/** `fetch` that aborts a request (and its body) after `ms` milliseconds, naming the URL and the deadline. */
export function fetchWithTimeout(ms: number): typeof fetch {
  return async (input, init) => {
    const deadline = AbortSignal.timeout(ms)
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline
    try {
      return await fetch(input, { ...init, signal })
    } catch (err) {
      if (deadline.aborted) {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
        throw new Error(`GitHub did not answer ${url} within ${ms} ms`, { cause: err })
      }
      throw err
    }
  }
}

export function createOctokit(token: string, timeoutMs = githubTimeoutMs()): Octokit {
  return github.getOctokit(token, { request: { fetch: fetchWithTimeout(timeoutMs) } })
}
