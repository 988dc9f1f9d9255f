import { at, commands, hasCacheMount, isSub, type Rule, type Violation } from '../rule.js'

export const DL3060: Rule = {
  id: 'DL3060',
  severity: 'info',
  message: '`yarn cache clean` missing after `yarn install` was run.',
  help: 'End the RUN with `&& yarn cache clean`, or use a cache mount for the yarn cache.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const yarn = commands(r.script, ['yarn'])
      if (!yarn.some((c) => isSub(c, ['install']))) continue
      if (hasCacheMount(r.ins, ['/usr/local/share/.cache/yarn', '/root/.yarn', '/root/.cache/yarn'])) continue
      if (!yarn.some((c) => c.args.join(' ').includes('cache clean'))) out.push(at(r.ins))
    }
    return out
  }
}
