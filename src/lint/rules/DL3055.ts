import { checkLabelType, isGitHash } from '../labeltype.js'
import type { Rule } from '../rule.js'

export const DL3055: Rule = {
  id: 'DL3055',
  severity: 'warning',
  message: 'Label `<label>` is not a valid git hash.',
  help: 'Give the label a git commit hash (7 to 40 lower-case hex digits).',
  check(ctx) {
    return checkLabelType(ctx, 'hash', isGitHash, 'is not a valid git hash')
  }
}
