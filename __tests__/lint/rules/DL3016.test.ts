import { DL3016 } from '../../../src/lint/rules/DL3016.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM node:20\n'

ruleTests(DL3016, {
  catches: [
    [F + 'RUN npm install express', 2],
    [F + 'RUN npm install @myorg/privatepackage', 2],
    [F + 'RUN npm install express sax@0.1.1', 2],
    [F + 'RUN npm install --global express', 2],
    // git URLs need a commit or semver part
    [F + 'RUN npm install git+ssh://git@github.com:npm/npm.git', 2],
    [F + 'RUN npm install git+http://isaacs@github.com/npm/npm', 2],
    [F + 'RUN npm install git+https://isaacs@github.com/npm/npm.git', 2],
    [F + 'RUN npm install git://github.com/npm/npm.git', 2],
    // a flag's value is skipped, the loose package after it is not
    [F + 'RUN npm install --registry https://example.com express', 2],
    [F + 'RUN npm install --registry=https://example.com express', 2],
    // a GitHub shorthand names no version
    [F + 'RUN npm install expressjs/express', 2],
    [F + 'ONBUILD RUN npm install express', 2]
  ],
  passes: [
    F + 'RUN npm install express@4.1.1',
    F + 'RUN npm install @angular/cli@17.0.0',
    F + 'RUN npm install @myorg/privatepackage@">=0.1.0 <0.2.0"',
    F + 'RUN npm install -g npm@10.2.0',
    F + 'RUN npm install',
    F + 'RUN npm install --progress=false',
    F + 'RUN npm ci',
    // only `npm install` is checked, as hadolint does
    F + 'RUN npm i -g typescript',
    F + 'RUN npm run --crazy install',
    // tarballs and folders
    F + 'RUN npm install package-v1.2.3.tar',
    F + 'RUN npm install package-v1.2.3.tar.gz',
    F + 'RUN npm install https://example.com/pkg-1.0.0.tgz',
    F + 'RUN npm install ./local-package',
    F + 'RUN npm install ../folder',
    F + 'RUN npm install ~/folder',
    F + 'RUN npm install /folder',
    // pinned git URLs
    F + 'RUN npm install git+ssh://git@github.com:npm/npm.git#v1.0.27',
    F + 'RUN npm install git+http://isaacs@github.com/npm/npm#semver:^5.0',
    F + 'RUN npm install git://github.com/npm/npm.git#v1.0.27',
    // flags that take a value
    F + 'RUN npm install --loglevel verbose sax@0.1.1',
    F + 'RUN npm install --registry https://example.com sax@0.1.1',
    F + 'RUN npm install --omit dev --prefix /opt/app sax@0.1.1'
  ]
})
