/** Reads the test registry directly over HTTP (what it really holds), independent of the product's code. */
import type { TestEnv } from './testenv.js'

const ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json'
].join(', ')

function auth(env: TestEnv): string {
  return 'Basic ' + Buffer.from(`${env.username}:${env.password}`).toString('base64')
}

/** The manifest digest the registry holds for repo:tag, or undefined when there is none. */
export async function registryDigest(env: TestEnv, repo: string, tag: string): Promise<string | undefined> {
  const res = await fetch(`http://${env.registry}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Authorization: auth(env), Accept: ACCEPT }
  })
  if (res.status === 404) return undefined
  if (!res.ok) throw new Error(`registry answered ${res.status} for ${repo}:${tag}`)
  return res.headers.get('docker-content-digest') ?? undefined
}

/** The tags of a repository; empty when the repository does not exist. */
export async function registryTags(env: TestEnv, repo: string): Promise<string[]> {
  const res = await fetch(`http://${env.registry}/v2/${repo}/tags/list`, {
    headers: { Authorization: auth(env) }
  })
  if (res.status === 404) return []
  if (!res.ok) throw new Error(`registry answered ${res.status} for ${repo}`)
  const body = (await res.json()) as { tags: string[] | null }
  return (body.tags ?? []).sort()
}
