import { parseImageText } from '../image.js'
import { at, externalFromImages, type Rule, type Violation } from '../rule.js'

export const DL3006: Rule = {
  id: 'DL3006',
  severity: 'warning',
  message: 'Always tag the version of an image explicitly.',
  help: 'Write the tag (e.g. `FROM debian:12`), or better a digest, so the build does not move with `latest`.',
  check(ctx) {
    const out: Violation[] = []
    for (const { stage, image } of externalFromImages(ctx)) {
      const ref = parseImageText(image)
      if (ref.tag === undefined && ref.digest === undefined)
        out.push(at(stage.from, `Always tag the version of an image explicitly: \`${image}\`.`))
    }
    return out
  }
}
