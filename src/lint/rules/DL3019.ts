import { cmdHasArgs, hasAnyFlag, hasCacheOrTmpfsMount, hcommands } from '../hshell.js'
import { at, type Rule, type Violation } from '../rule.js'

/** As hadolint: `apk add` without `--no-cache`, unless apk's cache dir is a cache or tmpfs mount. */
export const DL3019: Rule = {
  id: 'DL3019',
  severity: 'info',
  message:
    'Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages.',
  help: 'Write `apk add --no-cache …`, or use a cache mount for /var/cache/apk.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      if (hasCacheOrTmpfsMount(r.ins, ['/var/cache/apk'])) continue
      const bad = hcommands(r.script, ['apk']).some(
        (c) => cmdHasArgs(c, 'apk', ['add']) && !hasAnyFlag(c, ['no-cache'])
      )
      if (bad) out.push(at(r.ins))
    }
    return out
  }
}
