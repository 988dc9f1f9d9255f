import { at, commands, operandsAfter, type Rule, type Violation } from '../rule.js'

export const DL3018: Rule = {
  id: 'DL3018',
  severity: 'warning',
  message: 'Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`.',
  help: 'Write `apk add PACKAGE=VERSION` so a rebuild installs the same packages.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      for (const c of commands(r.script, ['apk'])) {
        const pkgs = operandsAfter(
          c,
          ['add'],
          [
            '-t',
            '--virtual',
            '-X',
            '--repository',
            '--repositories-file',
            '-p',
            '--root',
            '--arch',
            '--cache-dir',
            '--keys-dir'
          ]
        )
        const loose = (pkgs ?? []).filter(
          (p) => !/[=<>~]/.test(p) && !p.endsWith('.apk') && !p.startsWith('$') && !p.startsWith('.')
        )
        if (loose.length > 0) {
          out.push(at(r.ins, `Pin versions in apk add: ${loose.slice(0, 5).join(', ')}.`))
          break
        }
      }
    }
    return out
  }
}
