import { SI1003 } from '../../../src/lint/rules/SI1003.js'
import { ruleTests } from '../helpers.js'

ruleTests(SI1003, {
  catches: [
    ['FROM debian:12\nRUN curl -fsSL https://get.example.com | sh', 2],
    ['FROM debian:12\nRUN wget -qO- https://x/install.sh | sudo bash -s -- --yes', 2],
    ['FROM debian:12\nRUN sh -c "$(curl -fsSL https://x/install.sh)"', 2],
    ['FROM debian:12\nRUN bash <(curl -s https://x)', 2]
  ],
  passes: [
    'FROM debian:12\nRUN curl -fsSLo install.sh https://x/install.sh && sha256sum -c sums && sh install.sh',
    'FROM debian:12\nRUN curl -fsS https://x | tar -xz'
  ]
})
