import { at, commands, type Rule } from '../rule.js'

export const DL3004: Rule = {
  id: 'DL3004',
  severity: 'error',
  message: 'Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root.',
  help: 'RUN already runs as the current USER; switch with `USER root` for the steps that need it, or use gosu at run time.',
  check(ctx) {
    return ctx.runs.filter((r) => commands(r.script, ['sudo']).length > 0).map((r) => at(r.ins))
  }
}
