import { cmdHasArgs, hasCacheOrTmpfsMount, hcommands } from '../hshell.js'
import { at, type Rule, type Violation } from '../rule.js'

/**
 * As hadolint: a RUN with `yum install` needs a `yum clean all` (any yum command with the word `clean` or
 * `all`) or an `rm -rf` (hadolint takes any `rm -rf`, or an `rm` of `/var/cache/yum/*`) in the same RUN. A
 * cache or tmpfs mount on `/var/cache/yum` is fine too.
 */
export const DL3032: Rule = {
  id: 'DL3032',
  severity: 'warning',
  message: '`yum clean all` missing after yum command.',
  help: 'End the RUN with `&& yum clean all` (or `rm -rf /var/cache/yum/*`) so the package cache does not stay in the layer.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const cmds = hcommands(r.script, ['yum', 'rm'])
      if (!cmds.some((c) => cmdHasArgs(c, 'yum', ['install']))) continue
      if (hasCacheOrTmpfsMount(r.ins, ['/var/cache/yum'])) continue
      const cleaned = cmds.some(
        (c) => cmdHasArgs(c, 'yum', ['clean', 'all']) || cmdHasArgs(c, 'rm', ['-rf', '/var/cache/yum/*'])
      )
      if (!cleaned) out.push(at(r.ins))
    }
    return out
  }
}
