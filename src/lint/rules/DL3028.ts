import { at, commands, hasFlag, operandsAfter, type Rule, type Violation } from '../rule.js'

export const DL3028: Rule = {
  id: 'DL3028',
  severity: 'warning',
  message: 'Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`',
  help: 'Write `gem install GEM:VERSION` or `gem install GEM -v VERSION`.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      for (const c of commands(r.script, ['gem'])) {
        const pkgs = operandsAfter(
          c,
          ['install', 'i'],
          [
            '-v',
            '--version',
            '-i',
            '--install-dir',
            '-n',
            '--bindir',
            '--source',
            '-s',
            '-P',
            '--trust-policy'
          ]
        )
        if (!pkgs || pkgs.length === 0 || hasFlag(c.args, ['-v'], ['--version'])) continue
        const loose = pkgs.filter((p) => !p.includes(':') && !p.endsWith('.gem') && !p.startsWith('$'))
        if (loose.length > 0) {
          out.push(at(r.ins, `Pin versions in gem install: ${loose.slice(0, 5).join(', ')}.`))
          break
        }
      }
    }
    return out
  }
}
