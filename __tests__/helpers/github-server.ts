/**
 * A loopback HTTP server standing in for the GitHub REST API, for tests that run the real `@actions/github`
 * client against it (`GITHUB_API_URL=<url>`). It serves issue comments (list with Link pagination, create,
 * update), pull request files, and check runs (create, update appending annotations), enforces GitHub's limits
 * (65,536-character comment bodies, 50 annotations per check-run request, a token), answers 403 or 404 where
 * asked (a fork's read-only token, a token without `checks: write`), and records every request.
 *
 *   const gh = await start({ forbidChecks: true })   // or startGitHubServer()
 *   process.env.GITHUB_API_URL = gh.url
 *   …
 *   gh.requests              // every request, in order, with its parsed body and the status answered
 *   gh.state.comments        // the comments as they stand (issue, body, updates)
 *   gh.setFaults({ forbidAll: true }); gh.reset()
 *   await gh.close()
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  /** The path without the query string, e.g. `/repos/o/r/check-runs`. */
  path: string
  query: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  /** The parsed JSON body, or undefined. */
  body: unknown
  /** The status the server answered. */
  status: number
}

export interface IssueComment {
  id: number
  /** The issue or pull request number. */
  issue: number
  body: string
  user: { login: string; type: string }
  html_url: string
  created_at: string
  updated_at: string
  /** How many times the comment was updated. */
  updates: number
}

export interface CheckRunAnnotation {
  path: string
  start_line: number
  end_line: number
  annotation_level: string
  title?: string
  message: string
}

export interface CheckRun {
  id: number
  name: string
  head_sha: string
  status: string
  conclusion: string | null
  html_url: string
  output: { title?: string; summary?: string; annotations: CheckRunAnnotation[] }
}

export interface PullFile {
  filename: string
  status: string
  patch?: string
}

export interface ServerState {
  comments: IssueComment[]
  checkRuns: CheckRun[]
  /** Pull request number → its changed files (set by the test). */
  pullFiles: Record<number, PullFile[]>
  nextId: number
}

/** How the server misbehaves: 403 (`forbid…`) or 404 (`notFound…`) on endpoint groups. */
export interface Faults {
  /** 403 on every request. */
  forbidAll?: boolean
  /** 403 on issue comments: a fork's read-only token, or no `pull-requests: write`. */
  forbidComments?: boolean
  /** 403 on check runs: no `checks: write`. */
  forbidChecks?: boolean
  /** 403 on pull request files. */
  forbidPulls?: boolean
  notFoundComments?: boolean
  notFoundChecks?: boolean
  notFoundPulls?: boolean
  /** 422 on a check-run update that carries annotations (as GitHub answers an annotation it rejects). */
  rejectCheckAnnotations?: boolean
  /** Never answer any request (the connection stays open until the server closes). */
  hang?: boolean
}

export interface ServerOptions extends Faults {
  /** The largest page the list endpoints serve (GitHub: 100), to exercise pagination with few items. */
  maxPerPage?: number
  /** The login that comments are created as. */
  login?: string
}

export interface GitHubServer {
  /** Base URL, e.g. `http://127.0.0.1:PORT` (no trailing slash): the value for GITHUB_API_URL. */
  url: string
  requests: RecordedRequest[]
  state: ServerState
  /** Replaces the faults (an empty object: none). */
  setFaults(faults: Faults): void
  /** Forgets every request, comment, check run and pull request file, and the faults. */
  reset(): void
  close(): Promise<void>
}

const COMMENT_LIMIT = 65536
const ANNOTATIONS_PER_REQUEST = 50

type Group = 'comments' | 'checks' | 'pulls'

export async function start(options: ServerOptions = {}): Promise<GitHubServer> {
  const state: ServerState = { comments: [], checkRuns: [], pullFiles: {}, nextId: 1000 }
  const requests: RecordedRequest[] = []
  let faults: Faults = pickFaults(options)
  const login = options.login ?? 'github-actions[bot]'
  let base = ''

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      send(res, 500, { message: `test server error: ${(err as Error).message}` })
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req)
    const url = new URL(req.url ?? '/', base)
    let body: unknown
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw)
      } catch {
        body = raw
      }
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      status: 0
    }
    requests.push(record)
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      record.status = status
      send(res, status, payload, headers)
    }
    if (faults.hang) return
    const auth = req.headers.authorization
    if (!auth || !/^(token|bearer) \S+/i.test(auth)) return reply(401, { message: 'Requires authentication' })

    const route = routeOf(record.method, url.pathname)
    if (!route) return reply(404, { message: 'Not Found' })
    const group = route.group === 'comments' ? 'Comments' : route.group === 'checks' ? 'Checks' : 'Pulls'
    if (faults.forbidAll || faults[`forbid${group}`]) {
      return reply(403, { message: 'Resource not accessible by integration', status: '403' })
    }
    if (faults[`notFound${group}`]) return reply(404, { message: 'Not Found', status: '404' })
    const b = (body ?? {}) as Record<string, unknown>

    switch (route.name) {
      case 'listComments': {
        const list = state.comments.filter((c) => c.issue === route.number)
        return paginate(list.map(toApiComment), url, reply)
      }
      case 'createComment': {
        const text = typeof b.body === 'string' ? b.body : ''
        if (!text) return reply(422, { message: 'Validation Failed: body is missing' })
        if (text.length > COMMENT_LIMIT) return reply(422, { message: 'Validation Failed: body is too long' })
        const now = new Date().toISOString()
        const id = state.nextId++
        const comment: IssueComment = {
          id,
          issue: route.number,
          body: text,
          user: { login, type: 'Bot' },
          html_url: `https://github.com/${route.owner}/${route.repo}/pull/${route.number}#issuecomment-${id}`,
          created_at: now,
          updated_at: now,
          updates: 0
        }
        state.comments.push(comment)
        return reply(201, toApiComment(comment))
      }
      case 'updateComment': {
        const comment = state.comments.find((c) => c.id === route.number)
        if (!comment) return reply(404, { message: 'Not Found' })
        const text = typeof b.body === 'string' ? b.body : ''
        if (!text) return reply(422, { message: 'Validation Failed: body is missing' })
        if (text.length > COMMENT_LIMIT) return reply(422, { message: 'Validation Failed: body is too long' })
        comment.body = text
        comment.updated_at = new Date().toISOString()
        comment.updates++
        return reply(200, toApiComment(comment))
      }
      case 'listPullFiles': {
        return paginate(state.pullFiles[route.number] ?? [], url, reply)
      }
      case 'createCheckRun': {
        if (typeof b.name !== 'string' || typeof b.head_sha !== 'string') {
          return reply(422, { message: 'Validation Failed: name and head_sha are required' })
        }
        const output = (b.output ?? {}) as {
          title?: string
          summary?: string
          annotations?: CheckRunAnnotation[]
        }
        const annotations = output.annotations ?? []
        if (annotations.length > ANNOTATIONS_PER_REQUEST)
          return reply(422, { message: 'Only 50 annotations are allowed per request' })
        const id = state.nextId++
        const run: CheckRun = {
          id,
          name: b.name,
          head_sha: b.head_sha,
          status: typeof b.status === 'string' ? b.status : 'queued',
          conclusion: typeof b.conclusion === 'string' ? b.conclusion : null,
          html_url: `https://github.com/${route.owner}/${route.repo}/runs/${id}`,
          output: { title: output.title, summary: output.summary, annotations: [...annotations] }
        }
        state.checkRuns.push(run)
        return reply(201, run)
      }
      case 'updateCheckRun': {
        const run = state.checkRuns.find((r) => r.id === route.number)
        if (!run) return reply(404, { message: 'Not Found' })
        const output = b.output as
          { title?: string; summary?: string; annotations?: CheckRunAnnotation[] } | undefined
        if (faults.rejectCheckAnnotations && (output?.annotations?.length ?? 0) > 0) {
          return reply(422, { message: 'Validation Failed: an annotation is invalid' })
        }
        if (output) {
          if (output.title === undefined || output.summary === undefined) {
            return reply(422, { message: 'Validation Failed: output needs title and summary' })
          }
          const annotations = output.annotations ?? []
          if (annotations.length > ANNOTATIONS_PER_REQUEST) {
            return reply(422, { message: 'Only 50 annotations are allowed per request' })
          }
          run.output.title = output.title
          run.output.summary = output.summary
          run.output.annotations.push(...annotations) // the API appends
        }
        if (typeof b.status === 'string') run.status = b.status
        if (typeof b.conclusion === 'string') {
          run.conclusion = b.conclusion
          run.status = 'completed'
        }
        return reply(200, run)
      }
    }
  }

  function paginate(
    list: unknown[],
    url: URL,
    reply: (status: number, payload: unknown, headers?: Record<string, string>) => void
  ): void {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, options.maxPerPage ?? 100)
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1)
    const items = list.slice((page - 1) * perPage, page * perPage)
    const last = Math.max(1, Math.ceil(list.length / perPage))
    const headers: Record<string, string> = {}
    if (page < last) {
      const link = (p: number): string => {
        const u = new URL(url.pathname, base)
        for (const [k, v] of url.searchParams) if (k !== 'page') u.searchParams.set(k, v)
        u.searchParams.set('page', String(p))
        return u.toString()
      }
      headers.link = `<${link(page + 1)}>; rel="next", <${link(last)}>; rel="last"`
    }
    reply(200, items, headers)
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: base,
    requests,
    state,
    setFaults(next: Faults) {
      faults = pickFaults(next)
    },
    reset() {
      requests.length = 0
      state.comments.length = 0
      state.checkRuns.length = 0
      for (const k of Object.keys(state.pullFiles)) delete state.pullFiles[Number(k)]
      faults = {}
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      })
  }
}

/** The same server, under the name the end-to-end tests use. */
export const startGitHubServer = start

function pickFaults(o: Faults): Faults {
  const {
    forbidAll,
    forbidComments,
    forbidChecks,
    forbidPulls,
    notFoundComments,
    notFoundChecks,
    notFoundPulls,
    rejectCheckAnnotations,
    hang
  } = o
  return {
    forbidAll,
    forbidComments,
    forbidChecks,
    forbidPulls,
    notFoundComments,
    notFoundChecks,
    notFoundPulls,
    rejectCheckAnnotations,
    hang
  }
}

/** A comment as the API shows it. */
function toApiComment(c: IssueComment): Record<string, unknown> {
  return {
    id: c.id,
    body: c.body,
    user: c.user,
    html_url: c.html_url,
    issue_url: c.html_url.replace(/#.*$/, ''),
    created_at: c.created_at,
    updated_at: c.updated_at
  }
}

interface Route {
  name:
    'listComments' | 'createComment' | 'updateComment' | 'listPullFiles' | 'createCheckRun' | 'updateCheckRun'
  group: Group
  owner: string
  repo: string
  number: number
}

function routeOf(method: string, path: string): Route | undefined {
  let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path)
  if (m && method === 'GET')
    return { name: 'listComments', group: 'comments', owner: m[1], repo: m[2], number: Number(m[3]) }
  if (m && method === 'POST')
    return { name: 'createComment', group: 'comments', owner: m[1], repo: m[2], number: Number(m[3]) }
  m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path)
  if (m && method === 'PATCH')
    return { name: 'updateComment', group: 'comments', owner: m[1], repo: m[2], number: Number(m[3]) }
  m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/files$/.exec(path)
  if (m && method === 'GET')
    return { name: 'listPullFiles', group: 'pulls', owner: m[1], repo: m[2], number: Number(m[3]) }
  m = /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/.exec(path)
  if (m && method === 'POST')
    return { name: 'createCheckRun', group: 'checks', owner: m[1], repo: m[2], number: 0 }
  m = /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/.exec(path)
  if (m && method === 'PATCH')
    return { name: 'updateCheckRun', group: 'checks', owner: m[1], repo: m[2], number: Number(m[3]) }
  return undefined
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(payload)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(text)
}
