import { at, commands, hasFlag, isSub, type Rule, type Violation } from '../rule.js'

export const DL3014: Rule = {
  id: 'DL3014',
  severity: 'warning',
  message: 'Use the `-y` switch.',
  help: 'Write `apt-get install -y …` so the build never waits for an answer.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const bad = commands(r.script, ['apt-get']).some(
        (c) =>
          isSub(c, ['install']) &&
          !hasFlag(c.args, ['-y'], ['--yes', '--assume-yes']) &&
          !c.args.includes('-qq') &&
          !c.args.includes('-q=2') &&
          c.args.filter((a) => a === '-q' || a === '--quiet').length < 2
      )
      if (bad) out.push(at(r.ins))
    }
    return out
  }
}
