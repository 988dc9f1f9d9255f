import { at, type Rule } from '../rule.js'

export const SI1009: Rule = {
  id: 'SI1009',
  severity: 'error',
  message: '`RUN --security=insecure` runs the step with full privileges on the build host.',
  help: 'Remove `--security=insecure`; it needs the `security.insecure` entitlement and gives the step privileged access.',
  check(ctx) {
    return ctx.runs
      .filter((r) => r.ins.flags.some((f) => f.name === 'security' && f.value === 'insecure'))
      .map((r) => at(r.ins))
  }
}
