import { at, commands, type Rule } from '../rule.js'

export const DL3003: Rule = {
  id: 'DL3003',
  severity: 'warning',
  message: 'Use WORKDIR to switch to a directory.',
  help: 'Replace `cd DIR && …` with `WORKDIR DIR` before the RUN.',
  check(ctx) {
    return ctx.runs.filter((r) => commands(r.script, ['cd']).length > 0).map((r) => at(r.ins))
  }
}
