import { at, type Rule, type Violation } from '../rule.js'

export const DL3065: Rule = {
  id: 'DL3065',
  severity: 'warning',
  message:
    'Setting `FROM --platform` to predefined `$TARGETPLATFORM` is redundant as this is the default behavior',
  help: 'Remove `--platform=$TARGETPLATFORM` from the FROM.',
  check(ctx) {
    const out: Violation[] = []
    for (const st of ctx.model.stages) {
      const p = st.from.flags.find((f) => f.name === 'platform')?.value
      if (p === '$TARGETPLATFORM' || p === '${TARGETPLATFORM}') out.push(at(st.from))
    }
    return out
  }
}
