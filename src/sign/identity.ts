/**
 * The OIDC token for keyless signing: the Actions runtime's (`core.getIDToken('sigstore')`, which needs the
 * job's `permissions: id-token: write`), or SIGSTORE_ID_TOKEN outside Actions. The token is masked.
 */
import * as core from '@actions/core'
import type { IdentityProvider } from '@sigstore/sign'

export function oidcIdentity(env: NodeJS.ProcessEnv = process.env): IdentityProvider {
  return {
    getToken: async () => {
      if (env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
        return core.getIDToken('sigstore')
      }
      const token = env.SIGSTORE_ID_TOKEN
      if (!token) throw new Error('no OIDC token: grant the job `permissions: id-token: write`')
      core.setSecret(token)
      return token
    }
  }
}
