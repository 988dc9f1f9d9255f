import { DL3049 } from '../../../src/lint/rules/DL3049.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3049, {
  catches: [
    ['FROM debian:12\nLABEL foo="bar"', 1],
    // each stage needs it: the final one here
    ['FROM debian:12 AS build\nLABEL maintainer=x\nFROM debian:12\nLABEL other=1', 3],
    // and a stage that nothing uses
    ['FROM debian:12 AS build\nRUN make\nFROM debian:12\nLABEL maintainer=x', 1],
    // a stage built FROM a stage without it, that does not set it either
    ['FROM debian:12 AS base\nRUN true\nFROM base\nRUN make', 3],
    // a label inside ONBUILD is for a child image
    ['FROM debian:12\nONBUILD LABEL maintainer=x', 1]
  ],
  passes: [
    'FROM debian:12\nLABEL maintainer="me"',
    // inherited from the stage it is built FROM
    'FROM debian:12 AS base\nLABEL maintainer=x\nFROM base\nRUN y',
    'FROM debian:12 AS base\nLABEL maintainer=x\nFROM base AS app\nRUN y\nFROM app\nRUN z',
    // a stage that is only copied from
    'FROM debian:12 AS build\nRUN make\nFROM debian:12\nLABEL maintainer=x\nCOPY --from=build /out /out',
    // a stage whose child sets the label
    'FROM debian:12 AS base\nRUN true\nFROM base\nLABEL maintainer=x',
    'FROM debian:12 AS a\nLABEL other=1 maintainer=x'
  ],
  config: { labelSchema: { maintainer: 'text' } }
})
