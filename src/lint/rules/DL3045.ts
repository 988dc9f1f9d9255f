import { unquote } from '../../dockerfile/parse.js'
import { at, type Rule, type Violation } from '../rule.js'

export const DL3045: Rule = {
  id: 'DL3045',
  severity: 'warning',
  message: '`COPY` to a relative destination without `WORKDIR` set.',
  help: 'Set `WORKDIR /app` before the COPY, or give the COPY an absolute destination.',
  check(ctx) {
    const out: Violation[] = []
    const hasWorkdir = new Map<string, boolean>()
    for (const st of ctx.model.stages) {
      let wd = hasWorkdir.get(st.image.toLowerCase()) ?? false
      for (const i of st.instructions) {
        if (i.keyword === 'WORKDIR') wd = true
        if (i.keyword !== 'COPY' || wd || i.heredocs.length > 0) continue
        const words = i.json ?? i.argv.map(unquote)
        const dest = words[words.length - 1]
        if (words.length < 2 || !dest) continue
        if (
          dest.startsWith('/') ||
          dest.startsWith('$') ||
          /^[A-Za-z]:[\\/]/.test(dest) ||
          dest.startsWith('\\')
        )
          continue
        out.push(at(i))
      }
      if (st.name) hasWorkdir.set(st.name, wd)
    }
    return out
  }
}
