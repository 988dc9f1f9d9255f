/**
 * Annotations: every located, not-ignored finding becomes an annotation on its file and line, findings on
 * lines the pull request changed first. Vulnerabilities that came with the base image are grouped into one
 * annotation on the FROM line. They go to a check run (Checks API, batches of 50) when the token may write
 * checks, else to workflow commands within GitHub's budget of 10 per type per step.
 */
import { EOL } from 'node:os'
import { compareFindings, severityRank, type Finding, type Severity } from '../findings.js'
import { ChangedLines, normalizePath } from './changes.js'
import type { Octokit } from './comment.js'
import { truncate, workflowCommand } from './escape.js'

export type AnnotationLevel = 'failure' | 'warning' | 'notice'

export interface Annotation {
  path: string
  startLine: number
  endLine: number
  level: AnnotationLevel
  /** The rule or advisory id (or, for the grouped base-image annotation, what it groups). */
  title: string
  /** What is wrong and how to fix it. */
  message: string
  severity: Severity
  /** 2: on a line the pull request changed; 1: in a file it changed; 0: elsewhere. */
  rank: number
}

export interface AnnotationOptions {
  changed?: ChangedLines
  /** The base image of the final stage, as written, for the grouped annotation (e.g. `debian:12`). */
  baseImage?: string
}

/** The Checks API takes at most 50 annotations per request. */
export const CHECKS_BATCH = 50
/** At most this many annotations go to one check run (20 requests); the most relevant come first. */
export const CHECKS_MAX = 1000
/** GitHub shows at most 10 workflow-command annotations of each type per step. */
export const COMMAND_BUDGET = 10
const MESSAGE_MAX = 4000
const TITLE_MAX = 255

export function levelFor(severity: Severity): AnnotationLevel {
  if (severity === 'critical' || severity === 'high') return 'failure'
  if (severity === 'medium') return 'warning'
  return 'notice'
}

/** The workflow command for a check-run level. */
export function commandFor(level: AnnotationLevel): 'error' | 'warning' | 'notice' {
  return level === 'failure' ? 'error' : level
}

/** The annotations for a list of findings, most relevant first. */
export function buildAnnotations(findings: Finding[], options: AnnotationOptions = {}): Annotation[] {
  const changed = options.changed ?? ChangedLines.empty()
  const out: Annotation[] = []
  const inherited = new Map<string, Finding[]>()
  for (const f of [...findings].sort(compareFindings)) {
    if (f.suppressed || !f.location) continue
    if (f.category === 'vulnerability' && f.layer?.inherited) {
      const key = `${normalizePath(f.location.path)}\0${f.location.startLine}`
      const group = inherited.get(key) ?? []
      group.push(f)
      inherited.set(key, group)
      continue
    }
    out.push({
      path: normalizePath(f.location.path),
      startLine: f.location.startLine,
      endLine: Math.max(f.location.startLine, f.location.endLine ?? f.location.startLine),
      level: levelFor(f.severity),
      title: truncate(f.ruleId, TITLE_MAX),
      message: truncate(findingMessage(f), MESSAGE_MAX),
      severity: f.severity,
      rank: changed.rank(f)
    })
  }
  for (const group of inherited.values()) out.push(groupAnnotation(group, changed, options.baseImage))
  return out.sort(
    (a, b) =>
      b.rank - a.rank ||
      severityRank(b.severity) - severityRank(a.severity) ||
      a.path.localeCompare(b.path) ||
      a.startLine - b.startLine ||
      a.title.localeCompare(b.title)
  )
}

/** The message of one finding: what is wrong, then how to fix it. */
export function findingMessage(f: Finding): string {
  // Name the package first, unless the message already starts with it.
  const pkg =
    f.package && !f.message.startsWith(f.package.name) ? `${f.package.name} ${f.package.version}: ` : ''
  const lines = [`${pkg}${f.message}`]
  if (f.help) lines.push(`Fix: ${f.help}`)
  else if (f.category === 'vulnerability' && f.package) {
    lines.push(
      f.vulnerability?.fixedVersion
        ? `Fix: upgrade ${f.package.name} to ${f.vulnerability.fixedVersion} or later.`
        : `No fixed version of ${f.package.name} is known yet.`
    )
  }
  if (f.imagePath) lines.push(`In the image at ${f.imagePath}.`)
  return lines.join('\n')
}

function groupAnnotation(group: Finding[], changed: ChangedLines, baseImage?: string): Annotation {
  const first = group[0] // most severe: the group is filled in compareFindings order
  const loc = first.location!
  const base = baseImage ?? 'the base image'
  const fixable = group.filter((f) => f.vulnerability?.fixedVersion).length
  const n = group.length
  const top = group
    .slice(0, 5)
    .map((f) => `${f.ruleId} (${f.severity}${f.package ? `, ${f.package.name} ${f.package.version}` : ''})`)
  const more = n > top.length ? `, and ${n - top.length} more` : ''
  const message = [
    `${n} ${n === 1 ? 'vulnerability' : 'vulnerabilities'} inherited from ${base}, ${fixable} fixable; upgrade the base` +
      ` (a newer tag or digest of ${base}, or a smaller base image).`,
    `Most severe: ${top.join(', ')}${more}.`
  ].join('\n')
  return {
    path: normalizePath(loc.path),
    startLine: loc.startLine,
    endLine: Math.max(loc.startLine, loc.endLine ?? loc.startLine),
    level: levelFor(first.severity),
    title: truncate(`${n} inherited from ${base}`, TITLE_MAX),
    message: truncate(message, MESSAGE_MAX),
    severity: first.severity,
    rank: group.reduce((r, f) => Math.max(r, changed.rank(f)), 0)
  }
}

export interface CheckRunTarget {
  owner: string
  repo: string
  headSha: string
  /** The check run's name: the step's name. */
  name: string
}

export interface CheckRunOutput {
  title: string
  /** Markdown, at most 65,535 characters. */
  summary: string
  conclusion: 'success' | 'failure' | 'neutral'
}

export interface CheckRunResult {
  /** Set once the check run was created. */
  id?: number
  url?: string
  /** Annotations the API accepted. */
  sent: number
  /** The error that stopped the run (creation or a batch), when one did. */
  error?: unknown
}

/**
 * Creates a check run, adds the annotations (at most `CHECKS_MAX`) in batches of at most 50 (the API appends
 * them), and completes it. Never throws: an API error is returned with how many annotations were sent before it.
 */
export async function publishCheckRun(
  octokit: Octokit,
  target: CheckRunTarget,
  annotations: Annotation[],
  output: CheckRunOutput
): Promise<CheckRunResult> {
  const { owner, repo } = target
  const result: CheckRunResult = { sent: 0 }
  try {
    const { data } = await octokit.rest.checks.create({
      owner,
      repo,
      name: target.name,
      head_sha: target.headSha,
      status: 'in_progress',
      output: { title: output.title, summary: output.summary }
    })
    result.id = data.id
    result.url = data.html_url ?? undefined
    const batches: Annotation[][] = []
    const sent = annotations.slice(0, CHECKS_MAX)
    for (let i = 0; i < sent.length; i += CHECKS_BATCH) batches.push(sent.slice(i, i + CHECKS_BATCH))
    if (batches.length === 0) batches.push([])
    for (let i = 0; i < batches.length; i++) {
      const lastBatch = i === batches.length - 1
      await octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: data.id,
        output: {
          title: output.title,
          summary: output.summary,
          ...(batches[i].length > 0 ? { annotations: batches[i].map(toCheckAnnotation) } : {})
        },
        ...(lastBatch
          ? {
              status: 'completed' as const,
              conclusion: output.conclusion,
              completed_at: new Date().toISOString()
            }
          : {})
      })
      result.sent += batches[i].length
    }
  } catch (err) {
    result.error = err
    if (result.id !== undefined)
      await completeAfterFailure(octokit, target, result.id, output, result.sent, err)
  }
  return result
}

/**
 * A check run that was created but could not be updated would stay "in progress" forever. Complete it with the
 * gate's conclusion and a note that the annotations could not all be added (they go to workflow commands). If
 * that is refused too, nothing more can be done through the API; the caller reports the first error.
 */
async function completeAfterFailure(
  octokit: Octokit,
  target: CheckRunTarget,
  id: number,
  output: CheckRunOutput,
  sent: number,
  err: unknown
): Promise<void> {
  const why = (err as { message?: string }).message ?? String(err)
  const note =
    `\n\n---\n**Note:** only ${sent} annotation(s) could be added to this check run ` +
    `(${why.replace(/\s+/g, ' ').slice(0, 300)}); the rest are in the workflow log as annotations, the job ` +
    'summary, the SARIF file and the JSON report.'
  try {
    await octokit.rest.checks.update({
      owner: target.owner,
      repo: target.repo,
      check_run_id: id,
      status: 'completed',
      conclusion: output.conclusion,
      completed_at: new Date().toISOString(),
      output: { title: output.title, summary: output.summary.slice(0, 65000 - note.length) + note }
    })
  } catch {
    // The first error is what the caller reports.
  }
}

function toCheckAnnotation(a: Annotation): {
  path: string
  start_line: number
  end_line: number
  annotation_level: AnnotationLevel
  title: string
  message: string
} {
  return {
    path: a.path,
    start_line: a.startLine,
    end_line: a.endLine,
    annotation_level: a.level,
    title: a.title,
    message: a.message
  }
}

export interface CommandBudget {
  error: number
  warning: number
  notice: number
}

export interface CommandsResult {
  written: number
  omitted: number
  omittedByType: CommandBudget
}

/**
 * Writes annotations as workflow commands (`::error file=…,line=…,title=…::message`), at most `budget` of each
 * type, in the given order. Every property and message is escaped.
 */
export function writeCommands(
  annotations: Annotation[],
  budget: CommandBudget = { error: COMMAND_BUDGET, warning: COMMAND_BUDGET, notice: COMMAND_BUDGET },
  write: (line: string) => void = (line) => process.stdout.write(line + EOL)
): CommandsResult {
  const used: CommandBudget = { error: 0, warning: 0, notice: 0 }
  const omittedByType: CommandBudget = { error: 0, warning: 0, notice: 0 }
  let written = 0
  for (const a of annotations) {
    const cmd = commandFor(a.level)
    if (used[cmd] >= budget[cmd]) {
      omittedByType[cmd]++
      continue
    }
    used[cmd]++
    written++
    const props = {
      file: a.path,
      line: a.startLine,
      endLine: a.endLine !== a.startLine ? a.endLine : undefined,
      title: a.title
    }
    write(workflowCommand(cmd, props, a.message))
  }
  const omitted = omittedByType.error + omittedByType.warning + omittedByType.notice
  return { written, omitted, omittedByType }
}
