import { at, commands, type Rule, type Violation } from '../rule.js'

function pinned(p: string): boolean {
  if (/^(\.|\/|~|\$)/.test(p) || /^(git(\+\w+)?|https?|file|github):/.test(p) || /\.(tgz|tar\.gz)$/.test(p))
    return true
  if (/^[^@/]+\/[^@/]+(#.*)?$/.test(p)) return true // GitHub shorthand user/repo
  const at = p.startsWith('@') ? p.indexOf('@', 1) : p.indexOf('@')
  return at > 0 && p.length > at + 1
}

export const DL3016: Rule = {
  id: 'DL3016',
  severity: 'warning',
  message: 'Pin versions in `npm`.',
  help: 'Write `npm install PACKAGE@VERSION`, or install from a package.json with a lock file (`npm ci`).',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      for (const c of commands(r.script, ['npm'])) {
        const idx = c.args.findIndex((a) => !a.startsWith('-'))
        if (idx < 0 || !['install', 'i', 'add', 'isntall', 'in'].includes(c.args[idx])) continue
        const pkgs = c.args.slice(idx + 1).filter((a) => !a.startsWith('-'))
        const loose = pkgs.filter((p) => !pinned(p))
        if (loose.length > 0) {
          out.push(at(r.ins, `Pin versions in npm: ${loose.slice(0, 5).join(', ')}.`))
          break
        }
      }
    }
    return out
  }
}
