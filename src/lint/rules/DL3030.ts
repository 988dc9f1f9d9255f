import { at, commands, hasFlag, isSub, type Rule, type Violation } from '../rule.js'

export const DL3030: Rule = {
  id: 'DL3030',
  severity: 'warning',
  message: 'Use the `-y` switch to avoid manual input `yum install -y <package>`',
  help: 'Write `yum install -y …` so the build never waits for an answer.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const bad = commands(r.script, ['yum']).some(
        (c) =>
          isSub(c, ['install', 'groupinstall', 'localinstall', 'reinstall']) &&
          !hasFlag(c.args, ['-y'], ['--assumeyes'])
      )
      if (bad) out.push(at(r.ins))
    }
    return out
  }
}
