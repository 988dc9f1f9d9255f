import { at, commands, isSub, type Rule } from '../rule.js'

export const SI1008: Rule = {
  id: 'SI1008',
  severity: 'info',
  message: '`apt-get upgrade` / `dist-upgrade` in a build makes the image depend on the day it was built.',
  help: 'Rebuild on a newer base image instead, or pin the packages that need a fix with `apt-get install PACKAGE=VERSION`.',
  check(ctx) {
    return ctx.runs
      .filter((r) =>
        commands(r.script, ['apt-get', 'apt']).some((c) =>
          isSub(c, ['upgrade', 'dist-upgrade', 'full-upgrade'])
        )
      )
      .map((r) => at(r.ins))
  }
}
