/**
 * The sticky PR comment: exactly one per pull request and per image, found by a hidden marker and updated in
 * place on every run. Its body is kept under GitHub's limit of 65,536 characters.
 */
import type { getOctokit } from '@actions/github'
import type { Report } from '../findings.js'
import type { ChangedLines } from './changes.js'
import { escapeHtmlComment } from './escape.js'
import { renderMarkdown } from './markdown.js'

export type Octokit = ReturnType<typeof getOctokit>

/** GitHub rejects comment bodies over 65,536 characters; bytes are counted, which is never less. */
export const COMMENT_LIMIT = 65536

/**
 * The hidden marker that identifies the comment of one image, and of one set of matrix values (canonical JSON,
 * see the `matrix` input) when the job has them: matrix jobs building the same image for different values keep
 * one comment each. Without matrix values the marker is the image's alone.
 */
export function commentMarker(image: string, matrix?: string): string {
  const values = matrix ? ` matrix=${escapeHtmlComment(matrix)}` : ''
  return `<!-- secure-image:${escapeHtmlComment(image)}${values} -->`
}

export interface CommentOptions {
  image: string
  pushed: boolean
  refs: string[]
  changed?: ChangedLines
  limit?: number
  /** The job's matrix values as canonical JSON. */
  matrix?: string
}

/** The comment body, marker first. */
export function renderComment(report: Report, options: CommentOptions): string {
  return renderMarkdown(report, {
    image: options.image,
    pushed: options.pushed,
    refs: options.refs,
    changed: options.changed,
    marker: commentMarker(options.image, options.matrix),
    ...(options.matrix ? { matrix: options.matrix } : {}),
    limit: options.limit ?? COMMENT_LIMIT,
    limitReason: 'a PR comment is limited to 65,536 characters',
    elsewhere: 'the job summary, the SARIF file and the JSON report'
  })
}

export interface CommentTarget {
  owner: string
  repo: string
  issueNumber: number
}

export interface CommentResult {
  action: 'created' | 'updated'
  id: number
  url: string
}

/**
 * Creates the image's comment on the pull request, or updates the one already there (found by its marker
 * among all the PR's comments, every page). API errors are thrown to the caller as Octokit `RequestError`s.
 */
export async function upsertComment(
  octokit: Octokit,
  target: CommentTarget,
  image: string,
  body: string,
  matrix?: string
): Promise<CommentResult> {
  const marker = commentMarker(image, matrix)
  const { owner, repo, issueNumber } = target
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100
  })
  // The marker could be pasted by anyone: a bot's comment (the token's own) is preferred over a person's.
  const marked = comments.filter((c) => typeof c.body === 'string' && c.body.includes(marker))
  const existing = marked.find((c) => c.user?.type === 'Bot') ?? marked[0]
  if (existing) {
    const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body })
    return { action: 'updated', id: data.id, url: data.html_url }
  }
  const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body })
  return { action: 'created', id: data.id, url: data.html_url }
}
