import { unquote } from '../../dockerfile/parse.js'
import { at, effective, type Rule, type Violation } from '../rule.js'

export const SI1004: Rule = {
  id: 'SI1004',
  severity: 'warning',
  message: '`ADD` downloads a remote URL without `--checksum`, so the content is not verified.',
  help: 'Add `--checksum=sha256:…` to the ADD (BuildKit), or download with RUN and verify the checksum.',
  check(ctx) {
    const out: Violation[] = []
    for (const i of effective(ctx.model).filter((x) => x.keyword === 'ADD')) {
      if (i.flags.some((f) => f.name === 'checksum')) continue
      const srcs = (i.json ?? i.argv.map(unquote)).slice(0, -1)
      const remote = srcs.filter((s) => /^https?:\/\//i.test(s) && !/\.git(#.*)?$/.test(s))
      if (remote.length > 0) out.push(at(i, `\`ADD ${remote[0]}\` has no --checksum.`))
    }
    return out
  }
}
