import { checkLabelType, isSemver } from '../labeltype.js'
import type { Rule } from '../rule.js'

export const DL3056: Rule = {
  id: 'DL3056',
  severity: 'warning',
  message: 'Label `<label>` does not conform to semantic versioning.',
  help: 'Give the label a semantic version, e.g. `1.2.3`.',
  check(ctx) {
    return checkLabelType(ctx, 'semver', isSemver, 'does not conform to semantic versioning')
  }
}
