import { DL3028 } from '../../../src/lint/rules/DL3028.js'
import { ruleTests } from '../helpers.js'

const F = 'FROM ruby:3.3\n'

ruleTests(DL3028, {
  catches: [
    [F + 'RUN gem install bundler', 2],
    [F + 'RUN gem i bundler', 2],
    [F + 'RUN gem install bundler:2.4.22 rake', 2],
    // an option's value is skipped, the loose gem after it is not
    [F + 'RUN gem install --no-document -n /usr/local/bin bundler', 2],
    // a gem named by a variable alone carries no version
    [F + 'ARG GEM=bundler\nRUN gem install $GEM', 3],
    [F + 'ONBUILD RUN gem install bundler', 2]
  ],
  passes: [
    F + 'RUN gem install bundler:2.4.22',
    F + 'RUN gem install bundler -v 2.4.22',
    F + "RUN gem install bundler --version '>= 2'",
    F + 'RUN gem install bundler --version=2.4.22',
    F + 'RUN gem update --system',
    // the words after `--` are build options of the gem
    F + 'RUN gem install mysql2:0.5.6 -- --with-mysql-config /usr/bin/mysql_config',
    F + 'RUN gem install pg:1.5.4 -- with-pg-config=/usr/bin/pg_config',
    // options that take a value
    F + 'RUN gem install -n /usr/local/bin --source https://rubygems.org bundler:2.4.22',
    F + 'RUN gem install --install-dir /opt/gems bundler:2.4.22',
    F + 'RUN gem install -i /opt/gems bundler:2.4.22',
    F + 'RUN gem list'
  ]
})
