import { at, commands, operandsAfter, type Rule, type Violation } from '../rule.js'

export const DL3062: Rule = {
  id: 'DL3062',
  severity: 'warning',
  message:
    'Pin versions in go install. Instead of `go install <package>` use `go install <package>@<version>`',
  help: 'Write `go install example.com/tool@v1.2.3`.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      for (const c of commands(r.script, ['go'])) {
        const pkgs = operandsAfter(
          c,
          ['install'],
          ['-o', '-tags', '-ldflags', '-gcflags', '-mod', '-modfile', '-p']
        )
        if (!pkgs || c.args.findIndex((a) => !a.startsWith('-')) !== c.args.indexOf('install')) continue
        const loose = pkgs.filter((p) => !p.includes('@') && !p.startsWith('.') && !p.startsWith('$'))
        if (loose.length > 0) {
          out.push(at(r.ins, `Pin versions in go install: ${loose.slice(0, 5).join(', ')}.`))
          break
        }
      }
    }
    return out
  }
}
