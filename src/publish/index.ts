/**
 * The publish stage: annotations (check run, or workflow commands), the sticky PR comment, the job summary.
 * It talks to GitHub through `@actions/github` (which honours `GITHUB_API_URL`) and never fails the step
 * because GitHub refused or failed a request: it falls back and returns notices saying so, which the caller
 * writes (one `core.notice` each; the annotation budget leaves room for them).
 */
import * as core from '@actions/core'
import * as github from '@actions/github'
import { atOrAbove, type Finding, type Report } from '../findings.js'
import { ALWAYS_GATES } from '../baseline/gate.js'
import { buildAnnotations, publishCheckRun, writeCommands, COMMAND_BUDGET } from './annotations.js'
import { ChangedLines, type PullFile } from './changes.js'
import { renderComment, upsertComment } from './comment.js'
import { renderMarkdown } from './markdown.js'
import { writeSummary } from './summary.js'
import { createOctokit } from './octokit.js'

export { toSarif } from './sarif.js'
export { renderText } from './text.js'

export interface PublishContext {
  /** A GitHub token; without one nothing is written through the API. */
  token?: string
  /** The image as the user named it: one PR comment per image. */
  image: string
  /** The step's name: the check run is named after it. */
  stepName: string
  annotations: boolean
  /** `new`: only new findings (and those that fail the gate) are annotated when a baseline was found. */
  annotationScope?: 'new' | 'all'
  /** The job's matrix values as canonical JSON: part of the sticky comment's marker. */
  matrix?: string
  /** The pull request's changed lines, when the caller read them already (`readChangedLines`). */
  changed?: ChangedLines
  comment: boolean
  pushed: boolean
  refs: string[]
  dockerfilePath: string
  /** The final stage's base image as written (e.g. `debian:12`), for the grouped base-image annotation. */
  baseImage?: string
  /**
   * Workflow-command annotation lines the caller writes itself in this step, kept free of the budget of 10 per
   * type. Default: one error (the step's failure message). The notices returned are counted already.
   */
  reserved?: { error?: number; warning?: number; notice?: number }
}

export interface PublishResult {
  /** Where the annotations went: a check run, workflow commands, or nowhere (`annotations: false`). */
  annotations: 'checks' | 'commands' | 'none'
  commentUrl?: string
  /** What could not be published as asked, and where to look instead: the caller writes each as a notice. */
  notices: string[]
}

interface PullRequestInfo {
  number: number
  headSha?: string
  fork: boolean
}

/** Check-run summaries are limited to 65,535 characters. */
const CHECK_SUMMARY_LIMIT = 65000

export async function publish(report: Report, ctx: PublishContext): Promise<PublishResult> {
  const notices: string[] = []
  const gh = github.context
  const repo = repoOf(gh)
  const pr = pullRequestOf(gh)
  const octokit = ctx.token && repo ? createOctokit(ctx.token) : undefined

  let changed = ctx.changed ?? ChangedLines.empty()
  if (!ctx.changed && octokit && repo && pr && (ctx.annotations || ctx.comment)) {
    try {
      const files: PullFile[] = await octokit.paginate(octokit.rest.pulls.listFiles, {
        ...repo,
        pull_number: pr.number,
        per_page: 100
      })
      changed = ChangedLines.fromPullFiles(files)
    } catch (err) {
      core.info(
        `The pull request's changed files could not be read (${describeError(err)}); findings are not ordered by it.`
      )
    }
  }

  let commentUrl: string | undefined
  if (ctx.comment && pr) {
    if (!octokit || !repo) {
      notices.push(
        'No PR comment was written: no GitHub token was given. The results are in the job summary.'
      )
    } else {
      try {
        const body = renderComment(report, {
          image: ctx.image,
          pushed: ctx.pushed,
          refs: ctx.refs,
          changed,
          ...(ctx.matrix ? { matrix: ctx.matrix } : {})
        })
        const res = await upsertComment(
          octokit,
          { ...repo, issueNumber: pr.number },
          ctx.image,
          body,
          ctx.matrix
        )
        commentUrl = res.url
        core.info(`PR comment ${res.action}: ${res.url}`)
      } catch (err) {
        notices.push(commentFailure(err, pr.fork))
      }
    }
  }

  try {
    await writeSummary(report, { image: ctx.image, pushed: ctx.pushed, refs: ctx.refs, changed })
  } catch (err) {
    notices.push(`The job summary could not be written: ${describeError(err)}.`)
  }

  let mode: PublishResult['annotations'] = 'none'
  if (ctx.annotations) {
    const annotations = buildAnnotations(annotatedFindings(report, ctx.annotationScope ?? 'new'), {
      changed,
      baseImage: ctx.baseImage
    })
    let pending = annotations
    let checksRefused = false
    const headSha = pr?.headSha ?? gh.sha
    if (octokit && repo && headSha) {
      const res = await publishCheckRun(octokit, { ...repo, headSha, name: ctx.stepName }, annotations, {
        title: checkTitle(report),
        summary: renderMarkdown(report, {
          image: ctx.image,
          pushed: ctx.pushed,
          refs: ctx.refs,
          changed,
          limit: CHECK_SUMMARY_LIMIT,
          limitReason: 'a check-run summary is limited to 65,535 characters',
          elsewhere: 'the job summary, the SARIF file and the JSON report'
        }),
        conclusion: report.gate.passed ? 'success' : 'failure'
      })
      if (res.error === undefined) {
        mode = 'checks'
        if (annotations.length > res.sent) {
          notices.push(
            `${annotations.length - res.sent} less relevant annotations were left out of the check run ` +
              `(${res.sent} were written). Every finding is in the job summary, the SARIF file and the JSON report.`
          )
        }
        core.info(
          `Check run "${ctx.stepName}" written with ${res.sent} annotations${res.url ? `: ${res.url}` : ''}.`
        )
      } else {
        pending = annotations.slice(res.sent)
        checksRefused = true
        core.info(
          `The check run could not be written (${describeError(res.error)}); ` +
            `${pending.length} annotations go to workflow commands instead. Grant \`checks: write\` to get all of them.`
        )
      }
    }
    if (mode !== 'checks') {
      mode = 'commands'
      // Lines are left for what the caller writes itself (by default one error: the step's failure message) and
      // for the notices returned, including the one saying what was left out, when something is.
      const reserved = ctx.reserved ?? {}
      const budget = {
        error: Math.max(0, COMMAND_BUDGET - (reserved.error ?? 1)),
        warning: Math.max(0, COMMAND_BUDGET - (reserved.warning ?? 0)),
        notice: COMMAND_BUDGET - notices.length - (reserved.notice ?? 0)
      }
      if (writeCommands(pending, budget, () => undefined).omitted > 0) budget.notice--
      budget.notice = Math.max(0, budget.notice)
      const out = writeCommands(pending, budget)
      if (out.omitted > 0) {
        const parts = (['error', 'warning', 'notice'] as const)
          .filter((t) => out.omittedByType[t] > 0)
          .map((t) => `${out.omittedByType[t]} ${t}${out.omittedByType[t] === 1 ? '' : 's'}`)
        notices.push(
          `${out.omitted} ${out.omitted === 1 ? 'annotation was' : 'annotations were'} left out (${parts.join(', ')}): ` +
            `GitHub shows at most ${COMMAND_BUDGET} of each type per step. Every finding is in the job summary, ` +
            `the SARIF file and the JSON report` +
            (checksRefused || !octokit
              ? '; with a token that has `checks: write` they all go to a check run.'
              : '.')
        )
      }
    }
  }

  const result: PublishResult = { annotations: mode, notices }
  if (commentUrl) result.commentUrl = commentUrl
  return result
}

/**
 * The findings that get annotations. With a baseline and `annotations: true`, the new ones, and those that fail
 * the gate whatever `fail-on` says (so a failed run always points at why); with `annotations: all` or no
 * baseline, every finding.
 */
export function annotatedFindings(report: Report, scope: 'new' | 'all'): Finding[] {
  if (scope === 'all' || !report.baseline?.found) return report.findings
  const threshold = report.gate.threshold
  return report.findings.filter(
    (f) =>
      f.baseline === undefined ||
      f.baseline === 'new' ||
      (ALWAYS_GATES.includes(f.category) && atOrAbove(f.severity, threshold))
  )
}

/**
 * The pull request's changed lines (pulls API), read once per run; undefined outside a pull request, without a
 * token, or when GitHub refuses (the reason is logged).
 */
export async function readChangedLines(token: string | undefined): Promise<ChangedLines | undefined> {
  const gh = github.context
  const repo = repoOf(gh)
  const pr = pullRequestOf(gh)
  if (!token || !repo || !pr) return undefined
  try {
    const octokit = github.getOctokit(token)
    const files: PullFile[] = await octokit.paginate(octokit.rest.pulls.listFiles, {
      ...repo,
      pull_number: pr.number,
      per_page: 100
    })
    return ChangedLines.fromPullFiles(files)
  } catch (err) {
    core.info(`The pull request's changed files could not be read (${describeError(err)}).`)
    return undefined
  }
}

function repoOf(gh: typeof github.context): { owner: string; repo: string } | undefined {
  try {
    const { owner, repo } = gh.repo
    return owner && repo ? { owner, repo } : undefined
  } catch {
    return undefined
  }
}

function pullRequestOf(gh: typeof github.context): PullRequestInfo | undefined {
  if (gh.eventName !== 'pull_request' && gh.eventName !== 'pull_request_target') return undefined
  const pr = gh.payload.pull_request as
    | {
        number?: number
        head?: { sha?: string; repo?: { full_name?: string } }
        base?: { repo?: { full_name?: string } }
      }
    | undefined
  if (!pr || typeof pr.number !== 'number') return undefined
  const headRepo = pr.head?.repo?.full_name
  const baseRepo = pr.base?.repo?.full_name
  return {
    number: pr.number,
    headSha: pr.head?.sha,
    fork: Boolean(headRepo && baseRepo && headRepo !== baseRepo)
  }
}

function checkTitle(report: Report): string {
  const n = report.findings.filter((f) => !f.suppressed).length
  const findings = `${n} ${n === 1 ? 'finding' : 'findings'}`
  return report.gate.passed
    ? `Passed: ${findings}`
    : `Failed: ${report.gate.failing} at or above ${report.gate.threshold} (${findings})`
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

function describeError(err: unknown): string {
  const status = statusOf(err)
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err)
  return status ? `HTTP ${status}: ${message}` : message
}

function commentFailure(err: unknown, fork: boolean): string {
  const status = statusOf(err)
  let why: string
  if (fork && (status === 403 || status === 404)) {
    why = 'a pull request from a fork gets a read-only token'
  } else if (status === 403) {
    why = 'the token may not write to this pull request; grant `pull-requests: write`'
  } else if (status === 404) {
    why = 'the pull request was not found with this token'
  } else {
    why = describeError(err)
  }
  return `No PR comment was written (${why}). The results are in the job summary and the annotations.`
}
