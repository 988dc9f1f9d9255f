import { at, type Rule, type Violation } from '../rule.js'

/**
 * As hadolint: CMD and ENTRYPOINT in shell form. A CMD or ENTRYPOINT inside ONBUILD is not checked: it
 * belongs to a child image.
 */
export const DL3025: Rule = {
  id: 'DL3025',
  severity: 'warning',
  message: 'Use arguments JSON notation for CMD and ENTRYPOINT arguments',
  help: 'Write `CMD ["executable", "arg"]`: the shell form wraps the process in `/bin/sh -c`, which swallows signals.',
  check(ctx) {
    const out: Violation[] = []
    for (const i of ctx.model.instructions) {
      if ((i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && !i.json && i.args.trim() !== '')
        out.push(at(i))
    }
    return out
  }
}
