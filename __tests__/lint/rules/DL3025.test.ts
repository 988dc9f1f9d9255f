import { DL3025 } from '../../../src/lint/rules/DL3025.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM debian:12\n'

ruleTests(DL3025, {
  catches: [
    [F + 'CMD my-service server', 2],
    [F + 'ENTRYPOINT /bin/app --flag', 2],
    // single quotes are not JSON
    [F + "CMD ['my-service', 'server']", 2],
    // shell form over several lines, with a comment line ending in a backslash between them
    [F + 'CMD my-service \\\n    # the mode \\\n    server', 2]
  ],
  passes: [
    F + 'CMD ["my-service", "server"]',
    F + 'ENTRYPOINT ["/bin/app", "--flag"]',
    // JSON over several lines, with a comment line ending in a backslash between them
    F + 'CMD ["my-service", \\\n    # the mode \\\n    "server"]',
    // for the child image
    F + 'ONBUILD CMD my-service server'
  ]
})
