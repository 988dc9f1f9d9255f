import { DL3008 } from '../../../src/lint/rules/DL3008.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3008, {
  catches: [
    ['FROM debian:12\nRUN apt-get install -y python', 2],
    [
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88 wget \\\n    && rm -rf /var/lib/apt/lists/*',
      2
    ]
  ],
  passes: [
    'FROM debian:12\nRUN apt-get install -y python=2.7',
    'FROM debian:12\nRUN apt-get install -y ./local.deb',
    'FROM debian:12\nRUN apt-get install -y -t bookworm-backports curl=8.0',
    'FROM debian:12\nRUN apt-get update',
    'FROM debian:12\nRUN apt-get install -y curl/bookworm-backports'
  ]
})
