import { at, commands, operandsAfter, type Rule, type Violation } from '../rule.js'

export const DL3037: Rule = {
  id: 'DL3037',
  severity: 'warning',
  message: 'Specify version with `zypper install -y <package>[=]<version>`.',
  help: 'Write `zypper install -y PACKAGE=VERSION` (or `PACKAGE>=VERSION`).',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      for (const c of commands(r.script, ['zypper'])) {
        const pkgs = operandsAfter(c, ['install', 'in'], ['-t', '--type', '-r', '--repo', '--from'])
        const loose = (pkgs ?? []).filter(
          (p) => !/[=<>]/.test(p) && !p.endsWith('.rpm') && !p.startsWith('$')
        )
        if (loose.length > 0) {
          out.push(at(r.ins, `Specify version with zypper install: ${loose.slice(0, 5).join(', ')}.`))
          break
        }
      }
    }
    return out
  }
}
