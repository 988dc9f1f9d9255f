import { DL3001 } from '../../../src/lint/rules/DL3001.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3001, {
  catches: [
    ['FROM debian:12\nRUN apt-get update && apt-get install -y vim && service ssh start', 2],
    ['FROM debian:12\nRUN ps aux | grep x', 2]
  ],
  passes: ['FROM debian:12\nRUN apt-get install -y psmisc=1.0', 'FROM debian:12\nRUN echo top']
})
