import { at, commands, type Rule } from '../rule.js'

export const DL4005: Rule = {
  id: 'DL4005',
  severity: 'warning',
  message: 'Use `SHELL` to change the default shell.',
  help: 'Write `SHELL ["/bin/bash", "-c"]` instead of replacing /bin/sh with `ln`.',
  check(ctx) {
    return ctx.runs
      .filter((r) => commands(r.script, ['ln']).some((c) => c.args.includes('/bin/sh')))
      .map((r) => at(r.ins))
  }
}
