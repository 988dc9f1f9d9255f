import { at, type Rule, type Violation } from '../rule.js'

export const DL3029: Rule = {
  id: 'DL3029',
  severity: 'warning',
  message: 'Do not use --platform flag with FROM.',
  help: 'Leave the platform to the build (`--platform` on the command line), or use `$BUILDPLATFORM`/`$TARGETPLATFORM`.',
  check(ctx) {
    const out: Violation[] = []
    for (const st of ctx.model.stages) {
      const p = st.from.flags.find((f) => f.name === 'platform')
      if (p && !(p.value ?? '').includes('$')) out.push(at(st.from))
    }
    return out
  }
}
