import { at, commands, hasCacheMount, isSub, type Rule, type Violation } from '../rule.js'

export const DL3009: Rule = {
  id: 'DL3009',
  severity: 'info',
  message: 'Delete the apt-get lists after installing something.',
  help: 'End the RUN with `&& rm -rf /var/lib/apt/lists/*`, or use a cache mount for /var/lib/apt/lists.',
  check(ctx) {
    const { stages } = ctx.model
    const last = stages.length - 1
    // As hadolint: the final stage, and stages that a later stage is built FROM, end up in an image.
    const shipped = (index: number): boolean =>
      index === last || stages.some((s) => s.index > index && s.image.toLowerCase() === stages[index].name)
    const out: Violation[] = []
    for (const r of ctx.runs) {
      if (!r.stage || !shipped(r.stage.index)) continue
      const updates = commands(r.script, ['apt-get']).some((c) => isSub(c, ['update']))
      if (!updates) continue
      if (hasCacheMount(r.ins, ['/var/lib/apt/lists'])) continue
      if (hasCacheMount(r.ins, ['/var/lib/apt']) && hasCacheMount(r.ins, ['/var/cache/apt'])) continue
      const cleans = commands(r.script, ['rm']).some(
        (c) =>
          c.args.some((a) => /^-[a-zA-Z]*r/i.test(a)) &&
          c.args.some((a) => a.startsWith('/var/lib/apt/lists'))
      )
      if (!cleans) out.push(at(r.ins))
    }
    return out
  }
}
