import { checkLabelType, isEmail } from '../labeltype.js'
import type { Rule } from '../rule.js'

export const DL3058: Rule = {
  id: 'DL3058',
  severity: 'warning',
  message: 'Label `<label>` is not a valid email format - must conform to RFC5322.',
  help: 'Give the label an e-mail address, e.g. `team@example.com`.',
  check(ctx) {
    return checkLabelType(ctx, 'email', isEmail, 'is not a valid email format - must conform to RFC5322')
  }
}
