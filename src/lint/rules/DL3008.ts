import { at, commands, operandsAfter, type Rule, type Violation } from '../rule.js'

export const DL3008: Rule = {
  id: 'DL3008',
  severity: 'warning',
  message: 'Pin versions in apt-get install.',
  help: 'Write `apt-get install PACKAGE=VERSION` so a rebuild installs the same packages.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      for (const c of commands(r.script, ['apt-get'])) {
        const pkgs = operandsAfter(
          c,
          ['install'],
          ['-t', '--target-release', '-o', '--option', '-c', '--config-file']
        )
        const loose = (pkgs ?? []).filter(
          (p) => !p.includes('=') && !p.includes('/') && !p.endsWith('.deb') && !p.startsWith('$')
        )
        if (loose.length > 0) {
          out.push(
            at(
              r.ins,
              `Pin versions in apt-get install: ${loose.slice(0, 5).join(', ')}${loose.length > 5 ? ', …' : ''}.`
            )
          )
          break
        }
      }
    }
    return out
  }
}
