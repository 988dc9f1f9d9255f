/** OSV records as the OSV schema (https://ossf.github.io/osv-schema/) defines them, the parts that matching reads. */

export interface OsvEvent {
  introduced?: string
  fixed?: string
  last_affected?: string
  limit?: string
}

export interface OsvRange {
  type: 'ECOSYSTEM' | 'SEMVER' | 'GIT' | string
  repo?: string
  events: OsvEvent[]
  database_specific?: Record<string, unknown>
}

export interface OsvSeverity {
  type: 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4' | 'Ubuntu' | string
  score: string
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string }
  severity?: OsvSeverity[]
  ranges?: OsvRange[]
  versions?: string[]
  ecosystem_specific?: Record<string, unknown>
  database_specific?: Record<string, unknown>
}

export interface OsvRecord {
  schema_version?: string
  id: string
  modified?: string
  published?: string
  withdrawn?: string
  aliases?: string[]
  upstream?: string[]
  related?: string[]
  summary?: string
  details?: string
  severity?: OsvSeverity[]
  affected?: OsvAffected[]
  references?: { type: string; url: string }[]
  database_specific?: Record<string, unknown>
}

/** One package to look up: the OSV ecosystem (with release), the name OSV keys it by, and the version. */
export interface OsvQuery {
  ecosystem: string
  name: string
  version: string
}

/**
 * Where advisories come from. `query` answers, for each query in order, the records that may affect that package
 * (an offline source returns every record of the package; the API returns those it considers affecting). The
 * matcher evaluates the ranges itself, so every source gives the same findings.
 */
export interface OsvSource {
  query(queries: OsvQuery[]): Promise<OsvRecord[][]>
  /**
   * Whether the source holds advisories for this ecosystem (asked after `query`); a package in an ecosystem it
   * has none for was not checked. Undefined means it cannot tell.
   */
  hasEcosystem?(ecosystem: string): boolean
}

/** True for a JSON value that has the shape of an OSV record. */
export function isOsvRecord(v: unknown): v is OsvRecord {
  if (typeof v !== 'object' || v === null) return false
  const r = v as Record<string, unknown>
  return typeof r.id === 'string' && (r.affected === undefined || Array.isArray(r.affected))
}
