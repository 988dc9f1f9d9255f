import { at, commands, hasCacheMount, isSub, type Rule, type Violation } from '../rule.js'

export const DL3040: Rule = {
  id: 'DL3040',
  severity: 'warning',
  message: '`dnf clean all` missing after dnf command.',
  help: 'End the RUN with `&& dnf clean all` (or `rm -rf /var/cache/dnf`) so the package cache does not stay in the layer.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const dnf = commands(r.script, ['dnf', 'microdnf'])
      if (!dnf.some((c) => isSub(c, ['install', 'groupinstall', 'localinstall']))) continue
      if (hasCacheMount(r.ins, ['/var/cache/dnf', '/var/cache/yum'])) continue
      const cleaned =
        dnf.some((c) => isSub(c, ['clean']) && c.args.includes('all')) ||
        commands(r.script, ['rm']).some((c) =>
          c.args.some((a) => a.startsWith('/var/cache/dnf') || a.startsWith('/var/cache/yum'))
        )
      if (!cleaned) out.push(at(r.ins))
    }
    return out
  }
}
