import { checkLabelType, isSpdx } from '../labeltype.js'
import type { Rule } from '../rule.js'

export const DL3054: Rule = {
  id: 'DL3054',
  severity: 'warning',
  message: 'Label `<label>` is not a valid SPDX license identifier.',
  help: 'Use an SPDX license identifier or expression, e.g. `MIT` or `Apache-2.0 OR MIT`.',
  check(ctx) {
    return checkLabelType(ctx, 'spdx', isSpdx, 'is not a valid SPDX license identifier')
  }
}
