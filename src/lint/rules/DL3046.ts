import { at, commands, flagValue, hasFlag, type Rule, type Violation } from '../rule.js'

export const DL3046: Rule = {
  id: 'DL3046',
  severity: 'warning',
  message: '`useradd` without flag `-l` and high UID will result in excessively large Image.',
  help: 'Add `-l` (`--no-log-init`) to useradd, or use a UID below 100000.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const bad = commands(r.script, ['useradd']).some((c) => {
        if (hasFlag(c.args, ['-l'], ['--no-log-init'])) return false
        const uid = flagValue(c.args, ['-u', '--uid'])
        return uid !== undefined && /^[0-9]+$/.test(uid) && uid.length > 5
      })
      if (bad) out.push(at(r.ins))
    }
    return out
  }
}
