import { cmdHasArgs, hcommands, operands } from '../hshell.js'
import { at, type Rule, type Violation } from '../rule.js'

/** gem install's options that take a value: the word after them is no gem. */
const WITH_VALUE = [
  'i',
  'install-dir',
  'n',
  'bindir',
  's',
  'source',
  'P',
  'trust-policy',
  'platform',
  'g',
  'file',
  'build-root',
  'target-rbconfig'
]

/**
 * As hadolint: each gem of `gem install` (or `gem i`) must name its version as `gem:version`, unless the
 * command gives one with `-v` / `--version`. The words after `--` are build options for the gem, not gems.
 */
export const DL3028: Rule = {
  id: 'DL3028',
  severity: 'warning',
  message: 'Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`',
  help: 'Write `gem install GEM:VERSION` or `gem install GEM -v VERSION`.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const loose: string[] = []
      for (const c of hcommands(r.script, ['gem'])) {
        if (!cmdHasArgs(c, 'gem', ['install', 'i'])) continue
        const end = c.args.indexOf('--')
        const own = end < 0 ? c.args : c.args.slice(0, end)
        if (own.some((a) => a === '-v' || a === '--version' || a.startsWith('--version='))) continue
        const gems = operands({ ...c, args: own }, WITH_VALUE).filter((a) => a !== 'install' && a !== 'i')
        loose.push(...gems.filter((g) => !g.includes(':')))
      }
      if (loose.length > 0)
        out.push(at(r.ins, `Pin versions in gem install: ${loose.slice(0, 5).join(', ')}.`))
    }
    return out
  }
}
