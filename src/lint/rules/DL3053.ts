import { checkLabelType, isRfc3339 } from '../labeltype.js'
import type { Rule } from '../rule.js'

export const DL3053: Rule = {
  id: 'DL3053',
  severity: 'warning',
  message: 'Label `<label>` is not a valid time format - must conform to RFC3339.',
  help: 'Write the time as RFC 3339, e.g. `2024-01-31T12:00:00Z`.',
  check(ctx) {
    return checkLabelType(ctx, 'rfc3339', isRfc3339, 'is not a valid time format - must conform to RFC3339')
  }
}
