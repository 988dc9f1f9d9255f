import { at, commands, hasFlag, type Rule, type Violation } from '../rule.js'

export const DL3047: Rule = {
  id: 'DL3047',
  severity: 'info',
  message:
    '`wget` without flag `--progress` will result in excessively bloated build logs when downloading larger files.',
  help: 'Add `--progress=dot:giga` (or `-q`/`-nv`) to wget.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const bad = commands(r.script, ['wget']).some(
        (c) =>
          !c.args.some((a) => a.startsWith('--progress') || a === '-nv' || a === '--no-verbose') &&
          !hasFlag(c.args, ['-q', '-o', '-a'], ['--quiet', '--output-file', '--append-output'])
      )
      if (bad) out.push(at(r.ins))
    }
    return out
  }
}
