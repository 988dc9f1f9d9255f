import { unpinnedRpmInstalls, type Rule } from '../rule.js'

export const DL3033: Rule = {
  id: 'DL3033',
  severity: 'warning',
  message: 'Specify version with `yum install -y <package>-<version>`',
  help: 'Write `yum install -y PACKAGE-VERSION` so a rebuild installs the same packages.',
  check(ctx) {
    return unpinnedRpmInstalls(ctx, ['yum'], 'yum')
  }
}
