import { at, commands, hasFlag, isSub, type Rule, type Violation } from '../rule.js'

export const DL3038: Rule = {
  id: 'DL3038',
  severity: 'warning',
  message: 'Use the `-y` switch to avoid manual input `dnf install -y <package>`',
  help: 'Write `dnf install -y …` so the build never waits for an answer.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const bad = commands(r.script, ['dnf']).some(
        (c) =>
          isSub(c, ['install', 'groupinstall', 'localinstall', 'reinstall']) &&
          !hasFlag(c.args, ['-y'], ['--assumeyes'])
      )
      if (bad) out.push(at(r.ins))
    }
    return out
  }
}
