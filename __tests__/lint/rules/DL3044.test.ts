import { DL3044 } from '../../../src/lint/rules/DL3044.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM debian:12\n'

ruleTests(DL3044, {
  catches: [
    [F + 'ENV BLA="blubb" BLUBB="${BLA}/blubb"', 2],
    [F + 'ENV A=1 B=$A', 2],
    // the reference may come before the definition
    [F + 'ENV B=$A A=1', 2],
    [F + 'ENV A=1 \\\n    B=$A/x', 2],
    // hadolint does not read the escape
    [F + 'ENV A=1 B=\\$A', 2],
    // a comment line between continuation lines does not end the ENV
    [F + 'ENV A=1 \\\n    # the path \\\n    B=${A}/bin', 2]
  ],
  passes: [
    F + 'ENV BLA="blubb"\nENV BLUBB="${BLA}/blubb"',
    F + 'ENV PATH=/opt/bin:$PATH',
    F + 'ENV A 1 $A',
    // defined before by an ARG or an ENV (anywhere earlier in the file)
    F + 'ARG A=1\nENV A=2 B=$A',
    F + 'ENV A=1\nENV A=2 B=$A',
    'FROM debian:12 AS one\nENV A=1\nFROM debian:12\nENV A=2 B=$A',
    // a longer name is another variable
    F + 'ENV A=1 B=$AB',
    // only `${NAME}` and `$NAME` count
    F + 'ENV A=1 B=${A:-x}',
    // the commented-out pair is not part of the ENV
    F + 'ENV A=1 \\\n    # B=$A \\\n    C=2'
  ]
})
