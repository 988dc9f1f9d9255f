import { DL3059 } from '../../../src/lint/rules/DL3059.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM debian:12\n'

ruleTests(DL3059, {
  catches: [
    [F + 'RUN apt-get update\nRUN apt-get install -y curl=8', 3],
    // comments between do not separate them
    [F + 'RUN /foo.sh\n# a comment\n# another\nRUN /bar.sh', 5],
    // the same flags
    [F + 'RUN --mount=type=secret,id=foo /foo.sh\nRUN --mount=type=secret,id=foo /bar.sh', 3],
    // after a chained RUN, two single ones in a row
    [F + 'RUN foo && bar\nRUN foo\nRUN bar', 4]
  ],
  passes: [
    // a RUN that chains commands, before or after
    F + 'RUN foo && bar\nRUN foobar',
    F + 'RUN foo; bar\nRUN foobar',
    F + 'RUN foobar\nRUN foo && bar',
    F + 'RUN foobar\nRUN foo; bar',
    F + 'RUN foo && bar\nRUN foo; bar',
    // a pipe or a substitution is a second command too
    F + 'RUN curl -fsSL https://example.com/x | tar -x\nRUN foobar',
    F + 'RUN echo "$(date)" > /built\nRUN foobar',
    F + 'RUN a\nWORKDIR /x\nRUN b',
    // different flags
    F + 'RUN a\nRUN --mount=type=cache,target=/root/.cache b',
    F + 'RUN --mount=type=secret,id=foo /foo.sh\nRUN --mount=type=secret,id=bar /bar.sh',
    // a new stage starts afresh
    F + 'RUN a\nFROM debian:12\nRUN b'
  ]
})
