import { cmdHasArgs, firstIndex, hasCacheOrTmpfsMount, hcommands } from '../hshell.js'
import { at, type Rule, type Violation } from '../rule.js'

/**
 * As hadolint: `zypper install` (or `in`) must be followed by `zypper clean` (or `cc`) in the same RUN; a clean
 * before the first install does not count. A cache or tmpfs mount on `/var/cache/zypp` is fine too.
 */
export const DL3036: Rule = {
  id: 'DL3036',
  severity: 'warning',
  message: '`zypper clean` missing after zypper use.',
  help: 'End the RUN with `&& zypper clean` so the package cache does not stay in the layer.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const cmds = hcommands(r.script, ['zypper'])
      const install = firstIndex(cmds, (c) => cmdHasArgs(c, 'zypper', ['install', 'in']))
      if (install < 0 || hasCacheOrTmpfsMount(r.ins, ['/var/cache/zypp'])) continue
      const clean = firstIndex(cmds, (c) => cmdHasArgs(c, 'zypper', ['clean', 'cc']))
      if (clean < install) out.push(at(r.ins))
    }
    return out
  }
}
