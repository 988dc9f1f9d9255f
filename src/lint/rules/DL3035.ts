import { at, commands, isSub, type Rule } from '../rule.js'

export const DL3035: Rule = {
  id: 'DL3035',
  severity: 'warning',
  message: 'Do not use `zypper dist-upgrade`.',
  help: 'Use a newer base image instead of upgrading the distribution inside the build.',
  check(ctx) {
    return ctx.runs
      .filter((r) => commands(r.script, ['zypper']).some((c) => isSub(c, ['dist-upgrade', 'dup'])))
      .map((r) => at(r.ins))
  }
}
