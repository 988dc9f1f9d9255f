import { at, commands, hasCacheMount, isSub, type Rule, type Violation } from '../rule.js'

export const DL3032: Rule = {
  id: 'DL3032',
  severity: 'warning',
  message: '`yum clean all` missing after yum command.',
  help: 'End the RUN with `&& yum clean all` (or `rm -rf /var/cache/yum`) so the package cache does not stay in the layer.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const yum = commands(r.script, ['yum'])
      if (!yum.some((c) => isSub(c, ['install', 'groupinstall', 'localinstall']))) continue
      if (hasCacheMount(r.ins, ['/var/cache/yum'])) continue
      const cleaned =
        yum.some((c) => isSub(c, ['clean']) && c.args.includes('all')) ||
        commands(r.script, ['rm']).some((c) => c.args.some((a) => a.startsWith('/var/cache/yum')))
      if (!cleaned) out.push(at(r.ins))
    }
    return out
  }
}
