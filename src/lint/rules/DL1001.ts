import { readPragmas } from '../pragmas.js'
import type { Rule } from '../rule.js'

/** hadolint's DL1001, off by default: every `# hadolint ignore=…` pragma (not the global form) is reported. */
export const DL1001: Rule = {
  id: 'DL1001',
  severity: 'info',
  defaultOff: true,
  message: 'Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`.',
  help: 'List the rule under `ignored` in .hadolint.yaml instead, or fix what the rule reports.',
  check(ctx) {
    return readPragmas(ctx.model)
      .filter((p) => p.tool === 'hadolint' && !p.global)
      .map((p) => ({ line: p.line }))
  }
}
