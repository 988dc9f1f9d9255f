import { cmdHasArgs, firstIndex, hasCacheOrTmpfsMount, hcommands, type HCommand } from '../hshell.js'
import { DNF, isDnfInstall } from '../dnf.js'
import { at, type Rule, type Violation } from '../rule.js'

/**
 * As hadolint: each of dnf and microdnf that installs in a RUN must be followed by its own clean (`dnf clean
 * all`; any `dnf clean …` or `dnf … all` counts) or an `rm -rf` (any `rm -rf`, or an `rm` of the yum/dnf cache).
 * The first clean must come after the first install: a clean before it removes nothing the install leaves. A
 * cache or tmpfs mount on dnf5's cache (`/var/cache/libdnf5`, or a `.cache/libdnf5` of a user) is fine too.
 */
export const DL3040: Rule = {
  id: 'DL3040',
  severity: 'warning',
  message: '`dnf clean all` missing after dnf command.',
  help: 'End the RUN with `&& dnf clean all`, or use `--mount=type=cache,target=/var/cache/libdnf5`, so the package cache does not stay in the layer.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      if (hasCacheOrTmpfsMount(r.ins, ['/var/cache/libdnf5', '.cache/libdnf5'])) continue
      const cmds = hcommands(r.script, ['dnf', 'microdnf', 'rm'])
      const missing = DNF.some((name) => {
        const install = firstIndex(cmds, (c) => c.name === name && isDnfInstall(c))
        if (install < 0) return false
        const clean = firstIndex(cmds, (c) => cleans(c, name))
        return clean < 0 || clean < install
      })
      if (missing) out.push(at(r.ins))
    }
    return out
  }
}

function cleans(c: HCommand, name: string): boolean {
  return (
    cmdHasArgs(c, name, ['clean', 'all']) ||
    cmdHasArgs(c, 'rm', ['-rf', '/var/cache/yum/*', '/var/cache/dnf/*', '/var/cache/libdnf5*'])
  )
}
