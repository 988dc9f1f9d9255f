import { at, effective, type Rule, type Violation } from '../rule.js'
import { unquote } from '../../dockerfile/parse.js'

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|gz|bz2|xz|zst|lz|lzma|tlz|Z)$/i

export const DL3020: Rule = {
  id: 'DL3020',
  severity: 'error',
  message: 'Use `COPY` instead of `ADD` for files and folders.',
  help: 'ADD is for remote URLs and local tar archives; for plain files and folders COPY is explicit and predictable.',
  check(ctx) {
    const out: Violation[] = []
    for (const i of effective(ctx.model).filter((x) => x.keyword === 'ADD')) {
      if (i.heredocs.length > 0) continue
      const srcs = (i.json ?? i.argv.map(unquote)).slice(0, -1)
      const plain = srcs.filter(
        (s) =>
          !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && !/^git@/.test(s) && !ARCHIVE.test(s) && !s.startsWith('$')
      )
      if (plain.length > 0) out.push(at(i))
    }
    return out
  }
}
