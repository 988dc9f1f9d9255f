import { at, commands, hasCacheMount, isSub, type Rule, type Violation } from '../rule.js'

export const DL3036: Rule = {
  id: 'DL3036',
  severity: 'warning',
  message: '`zypper clean` missing after zypper use.',
  help: 'End the RUN with `&& zypper clean` so the package cache does not stay in the layer.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const z = commands(r.script, ['zypper'])
      if (!z.some((c) => isSub(c, ['install', 'in']))) continue
      if (hasCacheMount(r.ins, ['/var/cache/zypp'])) continue
      if (!z.some((c) => isSub(c, ['clean', 'cc']))) out.push(at(r.ins))
    }
    return out
  }
}
