import { DL3067 } from '../../../src/lint/rules/DL3067.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3067, {
  catches: [['FROM debian:12 AS build\nRUN make\nFROM scratch\nCOPY --from=build / /', 4]],
  passes: ['FROM debian:12 AS build\nFROM scratch\nCOPY --from=build /app /app', 'FROM debian:12\nCOPY . /']
})
