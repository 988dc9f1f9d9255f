import { checkLabelType, isUrl } from '../labeltype.js'
import type { Rule } from '../rule.js'

export const DL3052: Rule = {
  id: 'DL3052',
  severity: 'warning',
  message: 'Label `<label>` is not a valid URL.',
  help: 'Give the label an absolute URL, e.g. `https://example.com/project`.',
  check(ctx) {
    return checkLabelType(ctx, 'url', isUrl, 'is not a valid URL')
  }
}
