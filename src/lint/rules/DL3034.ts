import { at, commands, hasFlag, isSub, type Rule, type Violation } from '../rule.js'

export const DL3034: Rule = {
  id: 'DL3034',
  severity: 'warning',
  message: 'Non-interactive switch missing from `zypper` command: `zypper install -y`',
  help: 'Write `zypper --non-interactive install …` (or `install -y`) so the build never waits for an answer.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const bad = commands(r.script, ['zypper']).some(
        (c) =>
          isSub(c, ['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch']) &&
          !hasFlag(c.args, ['-n', '-y'], ['--non-interactive', '--no-confirm'])
      )
      if (bad) out.push(at(r.ins))
    }
    return out
  }
}
