/**
 * ShellCheck comments as lint findings: rule id `SC2086`, ShellCheck's level mapped as hadolint's levels are
 * (error → high, warning → medium, info → low, style → info, after the config's `override`), the Dockerfile
 * line inside the RUN, and the same suppressions as every rule (`# hadolint ignore=SC2086`, `.hadolint.yaml`
 * `ignored`). When no ShellCheck is installed this is said once in the log, and the report carries one note
 * (`SI0002`, marked as not counting) that the SC checks did not run: a missing optional tool is not a failure.
 */
import type { Finding, Suppression } from '../findings.js'
import type { DockerfileModel } from '../dockerfile/parse.js'
import { LEVEL_TO_SEVERITY, type HadolintConfig, type HadolintLevel } from './config.js'
import { shellcheckScripts } from './shellcheck-scripts.js'
import { runShellcheck, type ShellcheckComment, type ShellcheckOptions } from './shellcheck.js'

export const SHELLCHECK_SKIPPED = 'SI0002'
export const SHELLCHECK_FAILED = 'SI0001'

let toldMissing = false

export async function shellcheckFindings(
  model: DockerfileModel,
  config: HadolintConfig,
  options: ShellcheckOptions,
  suppression: (id: string, line: number) => Suppression | undefined,
  log: (message: string) => void = (m) => process.stderr.write(`${m}\n`)
): Promise<Finding[]> {
  const path = model.path
  let scripts: ReturnType<typeof shellcheckScripts> = []
  let result
  try {
    scripts = shellcheckScripts(model)
    if (scripts.length === 0) return []
    result = await runShellcheck(scripts, options)
  } catch (err) {
    return [
      {
        category: 'lint',
        ruleId: SHELLCHECK_FAILED,
        severity: 'high',
        message: `ShellCheck could not check the RUN instructions: ${(err as Error).message}`,
        help: 'Check the ShellCheck installation (`shellcheck --version`), or ignore SI0001 meanwhile.',
        location: { path, startLine: scripts[0]?.ins.startLine ?? 1 }
      }
    ]
  }
  if (!result.ran) {
    const why = `ShellCheck did not run: ${result.reason}, so the SC checks of RUN instructions were skipped`
    if (!toldMissing) {
      toldMissing = true
      log(`${why}. Install ShellCheck (e.g. apt-get install shellcheck) to get them.`)
    }
    return [
      {
        category: 'lint',
        ruleId: SHELLCHECK_SKIPPED,
        severity: 'info',
        message: `${why}.`,
        help: 'Install ShellCheck (GitHub-hosted ubuntu runners have it; `apt-get install shellcheck` elsewhere).',
        location: { path, startLine: scripts[0].ins.startLine },
        suppressed: { source: 'coverage', reason: 'a check that did not run; not a failure' }
      }
    ]
  }
  const seen = new Set<string>()
  const out: Finding[] = []
  const comments = [...result.comments].sort(
    (a, b) => a.line - b.line || a.code.localeCompare(b.code) || a.message.localeCompare(b.message)
  )
  for (const c of comments) {
    // hadolint keeps a set per RUN: the same comment twice in one RUN is one finding (here at its first line).
    const key = `${c.script.ins.startLine}\u0000${c.code}\u0000${c.message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(toFinding(c))
  }
  return out

  function toFinding(c: ShellcheckComment): Finding {
    const f: Finding = {
      category: 'lint',
      ruleId: c.code,
      severity: LEVEL_TO_SEVERITY[level(c.code, c.level)],
      message: c.message,
      help: `See https://www.shellcheck.net/wiki/${c.code}; or silence it with \`# hadolint ignore=${c.code}\`.`,
      location: { path, startLine: c.line, endLine: c.endLine }
    }
    const s = suppression(c.code, c.line)
    if (s) f.suppressed = s
    return f
  }

  function level(code: string, dflt: HadolintLevel): HadolintLevel {
    for (const l of ['error', 'warning', 'info', 'style'] as const) {
      if (config.override[l].includes(code)) return l
    }
    return dflt
  }
}
