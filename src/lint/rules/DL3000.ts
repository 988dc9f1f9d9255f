import { at, effective, type Rule } from '../rule.js'
import { unquote } from '../../dockerfile/parse.js'

export const DL3000: Rule = {
  id: 'DL3000',
  severity: 'error',
  message: 'Use absolute WORKDIR.',
  help: 'Give WORKDIR an absolute path (e.g. `WORKDIR /app`); a relative one depends on the previous WORKDIR.',
  check(ctx) {
    return effective(ctx.model)
      .filter((i) => i.keyword === 'WORKDIR')
      .filter((i) => {
        const dir = unquote(i.args.trim())
        return dir !== '' && !dir.startsWith('/') && !dir.startsWith('$') && !/^[A-Za-z]:[\\/]/.test(dir)
      })
      .map((i) => at(i))
  }
}
