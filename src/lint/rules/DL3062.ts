import { argsNoFlags, cmdHasArgs, hcommands, type HCommand } from '../hshell.js'
import { at, type Rule, type Violation } from '../rule.js'

/**
 * As hadolint: the packages of `go install` / `go get` (also `go get -tool`), or, when the RUN has a `go run`,
 * the package that `go run` runs (its first operand; the rest are the program's arguments), must name a
 * version (`pkg@v1.2.3`; `@latest` and `@none` are no version), unless they are local (`.`, `./…`, `/…`). A
 * flag's value counts as a package, as in hadolint.
 */
export const DL3062: Rule = {
  id: 'DL3062',
  severity: 'warning',
  message: 'Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`',
  help: 'Write `go install example.com/tool@v1.2.3`.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const cmds = hcommands(r.script, ['go'])
      const run = cmds.flatMap(runPackages)
      const pkgs = run.length > 0 ? run : cmds.flatMap(getPackages)
      const loose = pkgs.filter((p) => !pinned(p))
      if (loose.length > 0) out.push(at(r.ins, `Pin versions in go: ${loose.slice(0, 5).join(', ')}.`))
    }
    return out
  }
}

function runPackages(c: HCommand): string[] {
  if (!cmdHasArgs(c, 'go', ['run'])) return []
  return argsNoFlags(c)
    .slice(0, 2)
    .filter((a) => a !== 'run')
}

function getPackages(c: HCommand): string[] {
  if (!cmdHasArgs(c, 'go', ['install', 'get'])) return []
  return argsNoFlags(c).filter((a) => !['install', 'get', 'tool'].includes(a))
}

function pinned(p: string): boolean {
  if (p === '.' || p.startsWith('/') || p.startsWith('.')) return true
  return p.includes('@') && !p.endsWith('@latest') && !p.endsWith('@none')
}
