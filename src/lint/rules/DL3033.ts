import { at, commands, operandsAfter, type Rule, type Violation } from '../rule.js'

export const DL3033: Rule = {
  id: 'DL3033',
  severity: 'warning',
  message: 'Specify version with `yum install -y <package>-<version>`',
  help: 'Write `yum install -y PACKAGE-VERSION` so a rebuild installs the same packages.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      for (const c of commands(r.script, ['yum'])) {
        const pkgs = operandsAfter(
          c,
          ['install'],
          ['--enablerepo', '--disablerepo', '--setopt', '-c', '--config', '--installroot', '--releasever']
        )
        const loose = (pkgs ?? []).filter(
          (p) =>
            !/-[0-9]/.test(p) &&
            !p.endsWith('.rpm') &&
            !p.includes('/') &&
            !p.startsWith('$') &&
            !p.startsWith('@')
        )
        if (loose.length > 0) {
          out.push(at(r.ins, `Specify version with yum install: ${loose.slice(0, 5).join(', ')}.`))
          break
        }
      }
    }
    return out
  }
}
