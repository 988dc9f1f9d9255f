import { DL3016 } from '../../../src/lint/rules/DL3016.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3016, {
  catches: [
    ['FROM debian:12\nRUN npm install express', 2],
    ['FROM debian:12\nRUN npm i -g @angular/cli', 2]
  ],
  passes: [
    'FROM debian:12\nRUN npm install express@4.1.1',
    'FROM debian:12\nRUN npm install @angular/cli@17.0.0',
    'FROM debian:12\nRUN npm install',
    'FROM debian:12\nRUN npm ci',
    'FROM debian:12\nRUN npm install git+https://github.com/x/y.git',
    'FROM debian:12\nRUN npm install ./local-package',
    'FROM debian:12\nRUN npm install -g npm@10.2.0'
  ]
})
