import { argDecls, envPairs } from '../../dockerfile/parse.js'
import { at, effective, type Rule, type Violation } from '../rule.js'

const KNOWN = new Set([
  'ACCESS_TOKEN',
  'APPLICATION_KEY',
  'APP_SECRET',
  'AUTH_TOKEN',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'BITTREX_API_KEY',
  'BITTREX_API_SECRET',
  'CF_PASSWORD',
  'CF_USERNAME',
  'CIRCLE_TOKEN',
  'CI_DEPLOY_PASSWORD',
  'CI_DEPLOY_USER',
  'DOCKERHUB_PASSWORD',
  'DOCKER_EMAIL',
  'DOCKER_PASSWORD',
  'DOCKER_USERNAME',
  'FACEBOOK_ACCESS_TOKEN',
  'FACEBOOK_APP_ID',
  'FACEBOOK_APP_SECRET',
  'FIREBASE_API_TOKEN',
  'FIREBASE_TOKEN',
  'FOSSA_API_KEY',
  'GH_ENTERPRISE_TOKEN',
  'GH_TOKEN',
  'GITHUB_ENTERPRISE_TOKEN',
  'GITHUB_TOKEN',
  'HEROKU_API_KEY',
  'HEROKU_API_USER',
  'NPM_AUTH_TOKEN',
  'NPM_TOKEN',
  'OKTA_AUTHN_GROUPID',
  'OKTA_CLIENT_ORGURL',
  'OKTA_CLIENT_TOKEN',
  'OKTA_OAUTH2_CLIENTID',
  'OKTA_OAUTH2_CLIENTSECRET',
  'OPENAI_API_KEY',
  'OS_PASSWORD',
  'OS_USERNAME',
  'POSTGRES_PASSWORD',
  'SLACK_TOKEN',
  'STRIPE_API_KEY',
  'STRIPE_DEVICE_NAME',
  'TRAVIS_OS_NAME',
  'TRAVIS_SECURE_ENV_VARS',
  'TRAVIS_SUDO',
  'VAULT_CLIENT_KEY',
  'VAULT_TOKEN'
])
const SUSPICIOUS = ['api_key', 'client_key', 'password', 'private', 'secret', 'token', 'username']

/** hadolint's test for a sensitive ARG/ENV name: a known name, or one containing a suspicious word. */
export function sensitiveName(name: string): boolean {
  const lower = name.toLowerCase()
  return KNOWN.has(name.toUpperCase()) || SUSPICIOUS.some((s) => lower.includes(s))
}

export const DL3064: Rule = {
  id: 'DL3064',
  severity: 'warning',
  message: 'Potentially sensitive data should not be used in the `ARG` or `ENV` commands',
  help: 'Pass secrets with `RUN --mount=type=secret` instead of ARG or ENV, which stay in the image metadata.',
  check(ctx) {
    const out: Violation[] = []
    for (const i of effective(ctx.model)) {
      let names: string[]
      if (i.keyword === 'ENV') names = envPairs(i).map(([k]) => k)
      else if (i.keyword === 'ARG') names = argDecls(i).map((d) => d.name)
      else continue
      const hit = names.find(sensitiveName)
      if (hit) out.push(at(i, `Potentially sensitive data in ${i.keyword}: \`${hit}\`.`))
    }
    return out
  }
}
