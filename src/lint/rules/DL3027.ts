import { at, commands, type Rule } from '../rule.js'

export const DL3027: Rule = {
  id: 'DL3027',
  severity: 'warning',
  message: 'Do not use `apt` as it is meant to be an end-user tool, use `apt-get` or `apt-cache` instead',
  help: 'Replace `apt` with `apt-get` (install, update, remove) or `apt-cache` (search, show).',
  check(ctx) {
    return ctx.runs.filter((r) => commands(r.script, ['apt']).length > 0).map((r) => at(r.ins))
  }
}
