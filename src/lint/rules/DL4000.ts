import { at, effective, type Rule } from '../rule.js'

export const DL4000: Rule = {
  id: 'DL4000',
  severity: 'error',
  message: 'MAINTAINER is deprecated.',
  help: 'Replace it with `LABEL org.opencontainers.image.authors="…"`.',
  check(ctx) {
    return effective(ctx.model)
      .filter((i) => i.keyword === 'MAINTAINER')
      .map((i) => at(i))
  }
}
