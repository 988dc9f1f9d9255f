import { DL3013 } from '../../../src/lint/rules/DL3013.js'
import { ruleTests } from '../helpers.js'

ruleTests(DL3013, {
  catches: [
    ['FROM debian:12\nRUN pip install django', 2],
    ['FROM debian:12\nRUN pip3 install --no-cache-dir requests==2.31 flask', 2],
    ['FROM debian:12\nRUN python3 -m pip install numpy', 2],
    ['FROM debian:12\nRUN pip install git+https://github.com/x/y.git', 2]
  ],
  passes: [
    'FROM debian:12\nRUN pip install django==1.9',
    'FROM debian:12\nRUN pip install -r requirements.txt',
    "FROM debian:12\nRUN pip install 'django>=1.9,<2'",
    'FROM debian:12\nRUN pip install .',
    'FROM debian:12\nRUN pip install git+https://github.com/x/y.git@v1',
    'FROM debian:12\nRUN pip install ./dist/app-1.0-py3-none-any.whl',
    'FROM debian:12\nRUN pip install --index-url https://pypi.example.com/simple requests==2.31',
    'FROM debian:12\nRUN pip install -c constraints.txt requests',
    'FROM debian:12\nRUN pipx install black'
  ]
})
