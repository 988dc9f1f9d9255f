import { unquote } from '../../dockerfile/parse.js'
import { at, effective, type Rule } from '../rule.js'

export const DL3066: Rule = {
  id: 'DL3066',
  severity: 'info',
  message: 'Non-numeric user-id may not be resolvable by host system',
  help: 'Write the numeric UID (e.g. `USER 10001` or `USER 10001:10001`), which Kubernetes `runAsNonRoot` can verify.',
  check(ctx) {
    return effective(ctx.model)
      .filter((i) => i.keyword === 'USER')
      .filter((i) => {
        const uid = unquote(i.args.trim()).split(':')[0]
        return uid !== '' && !uid.includes('$') && !/^[0-9]+$/.test(uid)
      })
      .map((i) => at(i))
  }
}
