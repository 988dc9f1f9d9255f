/**
 * The job summary (`GITHUB_STEP_SUMMARY`): the same Markdown as the PR comment, kept under GitHub's limit of
 * 1 MiB per step.
 */
import * as core from '@actions/core'
import type { Report } from '../findings.js'
import type { ChangedLines } from './changes.js'
import { renderMarkdown } from './markdown.js'

/** GitHub accepts at most 1 MiB of summary per step; a little is kept free for other steps' lines. */
export const SUMMARY_LIMIT = 1024 * 1024 - 4096

export interface SummaryOptions {
  image: string
  pushed: boolean
  refs: string[]
  changed?: ChangedLines
  limit?: number
}

/** The Markdown written to the job summary. */
export function renderSummary(report: Report, options: SummaryOptions): string {
  return renderMarkdown(report, {
    image: options.image,
    pushed: options.pushed,
    refs: options.refs,
    changed: options.changed,
    limit: options.limit ?? SUMMARY_LIMIT,
    limitReason: 'a job summary is limited to 1 MiB',
    elsewhere: 'the SARIF file and the JSON report'
  })
}

/**
 * Appends the report to the job summary. Returns false (and writes nothing) when there is no job summary
 * (`GITHUB_STEP_SUMMARY` unset, e.g. outside GitHub Actions).
 */
export async function writeSummary(report: Report, options: SummaryOptions): Promise<boolean> {
  if (!process.env.GITHUB_STEP_SUMMARY) return false
  const markdown = renderSummary(report, options)
  await core.summary.addRaw(markdown, true).write()
  return true
}
