import type { Rule } from '../rule.js'

/**
 * hadolint's DL3063, off by default: no USER instruction after the last stage began. As hadolint reports it, the
 * line is the one after the FROM of the last stage, and a USER anywhere in an earlier stage counts too. SI1001
 * is the check that runs by default.
 */
export const DL3063: Rule = {
  id: 'DL3063',
  severity: 'info',
  defaultOff: true,
  message: 'A USER instruction should be specified',
  help: 'Create an unprivileged user and switch to it with `USER name` or `USER 10001`.',
  check(ctx) {
    let hasUser = false
    let report: number | undefined
    for (const i of ctx.model.instructions) {
      if (i.keyword === 'USER') hasUser = true
      else if (i.keyword === 'FROM' && !hasUser) report = i.startLine + 1
    }
    return !hasUser && report !== undefined ? [{ line: report }] : []
  }
}
