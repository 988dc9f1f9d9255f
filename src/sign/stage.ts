/**
 * The pipeline's sign stage: after the gate passed and the pushed digest was read back, decide how to sign
 * and sign. A run that cannot sign under `sign: auto` gives a notice; under `sign: true`, or when signing was
 * possible and failed, the failure is recorded as a check that could not run (the gate fails closed).
 */
import type { Report, Thresholds } from '../findings.js'
import type { Inputs } from '../inputs.js'
import type { IgnoreEntry } from '../scan/ignores.js'
import { oidcIdentity } from './identity.js'
import { signAndAttest, signingPlan, type SigningResult } from './index.js'

export interface SignStageContext {
  inputs: Inputs
  report: Report
  refs: string[]
  digest: string
  sbom?: string
  thresholds: Thresholds
  ignores: IgnoreEntry[]
  log: { info(m: string): void }
  env?: NodeJS.ProcessEnv
}

export interface SignStageResult {
  signing?: SigningResult
  /** Why nothing was signed, when that is not an error. */
  notice?: string
  /** Why signing failed, when it had to succeed. */
  error?: string
}

export async function signStage(ctx: SignStageContext): Promise<SignStageResult> {
  const env = ctx.env ?? process.env
  const { inputs } = ctx
  const plan = signingPlan(inputs.sign, inputs['signing-key'], env)
  if (plan.how === 'none') {
    ctx.log.info(`not signed: ${plan.why}`)
    return plan.error
      ? { error: `signing failed: ${plan.why}` }
      : { notice: `The image was not signed: ${plan.why}.` }
  }
  ctx.log.info(
    plan.how === 'key'
      ? 'signing with the given key (no transparency log)'
      : "signing keyless with the run's OIDC identity"
  )
  try {
    const signing = await signAndAttest({
      plan,
      signingKey: inputs['signing-key'],
      identityProvider: oidcIdentity(env),
      refs: ctx.refs,
      digest: ctx.digest,
      auth: { registry: inputs.registry, username: inputs.username, password: inputs.password },
      report: ctx.report,
      ...(ctx.sbom ? { sbom: ctx.sbom } : {}),
      thresholds: ctx.thresholds,
      ignores: ctx.ignores,
      osv: inputs['osv-db']
        ? { source: 'offline', location: inputs['osv-db'] }
        : { source: 'api', location: inputs['osv-api-url'] },
      env,
      log: (l) => ctx.log.info(l)
    })
    ctx.log.info(
      `signed ${ctx.digest}: signature ${signing.signature}, ${signing.attestations.length} attestation(s)`
    )
    return { signing }
  } catch (err) {
    return { error: `signing failed: ${(err as Error).message}` }
  }
}
