/**
 * The lint stage: runs every rule over a parsed Dockerfile and returns findings. It never throws on the
 * Dockerfile's content: parse errors become `SI0000` findings with their line.
 */
import type { Finding, Suppression } from '../findings.js'
import type { DockerfileModel } from '../dockerfile/parse.js'
import {
  defaultHadolintConfig,
  LEVEL_TO_SEVERITY,
  type HadolintConfig,
  type HadolintLevel
} from './config.js'
import { matchPragma, readPragmas } from './pragmas.js'
import { buildContext, type Rule } from './rule.js'
import { RULES } from './rules/index.js'
import { shellcheckFindings } from './shellcheck-findings.js'
import type { ShellcheckOptions } from './shellcheck.js'

export interface LintOptions {
  config?: HadolintConfig
  /** Context paths (posix, relative) that the build would send after `.dockerignore`, for the context-leak rule. */
  contextFiles?: string[]
  /** Rules to run instead of the full catalogue (tests, or a caller that narrows the set). */
  rules?: Rule[]
  /**
   * Run ShellCheck over every RUN (a separate, asynchronous pass; off unless asked, since it starts a process).
   * `true` runs the `shellcheck` on PATH.
   */
  shellcheck?: boolean | ShellcheckOptions
  /** Where the one-time note goes when ShellCheck is not installed (default: standard error). */
  log?: (message: string) => void
}

export const PARSE_ERROR_ID = 'SI0000'
export const RULE_FAILURE_ID = 'SI0001'

/** The level a rule runs at after the config's `override`. */
export function effectiveLevel(rule: Pick<Rule, 'id' | 'severity'>, config: HadolintConfig): HadolintLevel {
  for (const level of ['error', 'warning', 'info', 'style'] as const) {
    if (config.override[level].includes(rule.id)) return level
  }
  return rule.severity
}

function isOverridden(id: string, config: HadolintConfig): boolean {
  return (['error', 'warning', 'info', 'style'] as const).some((l) => config.override[l].includes(id))
}

export async function lintDockerfile(model: DockerfileModel, options: LintOptions = {}): Promise<Finding[]> {
  const config = options.config ?? defaultHadolintConfig()
  const path = model.path
  const findings: Finding[] = []
  const ctx = buildContext(model, config, options.contextFiles)
  const pragmas = readPragmas(model)
  const honourHadolint = !config.disableIgnorePragma
  const reported = new Set<number>()
  for (const rule of options.rules ?? RULES) {
    if (rule.defaultOff && !isOverridden(rule.id, config)) continue
    let violations
    try {
      violations = rule.check(ctx)
    } catch (err) {
      findings.push({
        category: 'lint',
        ruleId: RULE_FAILURE_ID,
        severity: 'high',
        message: `rule ${rule.id} could not check this Dockerfile: ${(err as Error).message}`,
        help: 'Report this Dockerfile to the secure-image maintainers; ignore the rule meanwhile.',
        location: { path, startLine: 1 }
      })
      continue
    }
    if (violations.length === 0) continue
    const severity = LEVEL_TO_SEVERITY[effectiveLevel(rule, config)]
    for (const v of violations) {
      if (rule.id === 'DL3061') reported.add(v.line)
      const f: Finding = {
        category: 'lint',
        ruleId: rule.id,
        severity,
        message: v.message ?? rule.message,
        help: rule.help,
        location: { path, startLine: v.line, endLine: v.endLine ?? v.line }
      }
      const suppressed = suppression(rule.id, v.line)
      if (suppressed) f.suppressed = suppressed
      findings.push(f)
    }
  }
  for (const e of model.errors) {
    // An instruction before the first FROM is DL3061's finding already.
    if (reported.has(e.line) && /before the first FROM/.test(e.message)) continue
    findings.push({
      category: 'lint',
      ruleId: PARSE_ERROR_ID,
      severity: 'high',
      message: `parse error: ${e.message.split('\n')[0]}`,
      help: 'Fix the Dockerfile syntax at this line; the builder would reject it.',
      location: { path, startLine: e.line, endLine: e.line }
    })
  }
  if (options.shellcheck) {
    const sc = options.shellcheck === true ? {} : options.shellcheck
    findings.push(...(await shellcheckFindings(model, config, sc, suppression, options.log)))
  }
  return findings

  function suppression(id: string, line: number): Suppression | undefined {
    const p = matchPragma(pragmas, id, line, honourHadolint)
    if (p) {
      const s: Suppression = { source: 'pragma' }
      if (p.reason !== undefined) s.reason = p.reason
      return s
    }
    if (config.ignored.includes(id)) return { source: '.hadolint.yaml', reason: 'listed under ignored' }
    return undefined
  }
}
