import { DL3013 } from '../../../src/lint/rules/DL3013.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM debian:12\n'

ruleTests(DL3013, {
  catches: [
    [F + 'RUN pip install django', 2],
    [F + 'RUN pip3 install --no-cache-dir requests==2.31 flask', 2],
    [F + 'RUN python3 -m pip install numpy', 2],
    [F + 'RUN pip install git+https://github.com/x/y.git', 2],
    // pipx installs from PyPI as pip does
    [F + 'RUN pipx install black', 2],
    // a requirement named by a variable alone carries no version
    [F + 'ARG PKG=django\nRUN pip install $PKG', 3],
    // an option value does not hide a loose package after it
    [F + 'RUN pip install --root-user-action ignore flask', 2],
    [F + 'ONBUILD RUN pip install django', 2]
  ],
  passes: [
    F + 'RUN pip install django==1.9',
    F + 'RUN pip install -r requirements.txt',
    F + 'RUN pip install --requirement requirements.txt flask',
    F + "RUN pip install 'django>=1.9,<2'",
    F + 'RUN pip install .',
    F + 'RUN pip install git+https://github.com/x/y.git@v1',
    F + 'RUN pip install ./dist/app-1.0-py3-none-any.whl',
    F + 'RUN pip install app-1.0.tar.gz',
    F + 'RUN pip install --index-url https://pypi.example.com/simple requests==2.31',
    F + 'RUN pip install -i https://pypi.example.com/simple requests==2.31',
    F + 'RUN pip install -c constraints.txt requests',
    F + 'RUN pip install --constraint=constraints.txt requests',
    // options that take a value: the value is no package
    F + 'RUN pip install --root-user-action ignore flask==3.0.0',
    F + 'RUN pip install --progress-bar off --target /opt/lib flask==3.0.0',
    F + 'RUN pip install --upgrade-strategy eager flask==3.0.0',
    F + 'RUN python -m pip install --prefix /usr/local "flask==${FLASK_VERSION}"',
    // nothing named
    F + 'RUN pipenv install',
    F + 'RUN pip download django'
  ]
})
