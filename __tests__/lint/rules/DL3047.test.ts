import { DL3047 } from '../../../src/lint/rules/DL3047.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3047, {
  catches: [['FROM debian:12\nRUN wget http://google.com', 2]],
  passes: [
    'FROM debian:12\nRUN wget --progress=dot:giga http://google.com',
    'FROM debian:12\nRUN wget -q http://google.com',
    'FROM debian:12\nRUN wget -nv http://google.com',
    'FROM debian:12\nRUN wget -O /tmp/x -o /dev/null http://google.com'
  ]
})
