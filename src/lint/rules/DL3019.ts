import { at, commands, hasCacheMount, isSub, type Rule, type Violation } from '../rule.js'

export const DL3019: Rule = {
  id: 'DL3019',
  severity: 'info',
  message:
    'Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages.',
  help: 'Write `apk add --no-cache …`, or use a cache mount for /var/cache/apk.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      if (hasCacheMount(r.ins, ['/var/cache/apk'])) continue
      if (commands(r.script, ['apk']).some((c) => isSub(c, ['add']) && !c.args.includes('--no-cache')))
        out.push(at(r.ins))
    }
    return out
  }
}
