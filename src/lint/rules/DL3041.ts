import { unpinnedRpmInstalls, type Rule } from '../rule.js'

export const DL3041: Rule = {
  id: 'DL3041',
  severity: 'warning',
  message: 'Specify version with `dnf install -y <package>-<version>`',
  help: 'Write `dnf install -y PACKAGE-VERSION` so a rebuild installs the same packages.',
  check(ctx) {
    return unpinnedRpmInstalls(ctx, ['dnf', 'microdnf'], 'dnf')
  }
}
