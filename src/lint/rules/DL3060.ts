import { cmdHasArgs, firstIndex, hasCacheOrTmpfsMount, hcommands } from '../hshell.js'
import { at, type Rule, type Violation } from '../rule.js'

/**
 * As hadolint: `yarn install` must be followed by `yarn cache clean` in the same RUN (a yarn command with the
 * word `cache` or `clean`), wherever it stands in the RUN. A cache or tmpfs mount on yarn's cache (`.cache/yarn`)
 * is fine too.
 */
export const DL3060: Rule = {
  id: 'DL3060',
  severity: 'info',
  message: '`yarn cache clean` missing after `yarn install` was run.',
  help: 'End the RUN with `&& yarn cache clean`, or use `--mount=type=cache,target=/usr/local/share/.cache/yarn`.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const cmds = hcommands(r.script, ['yarn'])
      const install = firstIndex(cmds, (c) => cmdHasArgs(c, 'yarn', ['install']))
      if (install < 0 || hasCacheOrTmpfsMount(r.ins, ['.cache/yarn'])) continue
      const clean = firstIndex(cmds, (c) => cmdHasArgs(c, 'yarn', ['cache', 'clean']))
      if (clean < 0) out.push(at(r.ins))
    }
    return out
  }
}
