/** Builders of findings and reports for the publish tests. */
import { evaluateGate, type Finding, type Report } from '../../src/findings.js'

export function lint(line: number, over: Partial<Finding> = {}): Finding {
  return {
    category: 'lint',
    ruleId: 'DL3008',
    severity: 'medium',
    message: 'Pin versions in apt get install.',
    help: 'Use `apt-get install <package>=<version>`.',
    location: { path: 'Dockerfile', startLine: line, endLine: line },
    ...over
  }
}

export function vuln(id: string, over: Partial<Finding> = {}): Finding {
  return {
    category: 'vulnerability',
    ruleId: id,
    severity: 'high',
    message: `${id} affects libfoo.`,
    location: { path: 'Dockerfile', startLine: 4, endLine: 4 },
    package: {
      name: 'libfoo',
      version: '1.0-1',
      ecosystem: 'Debian:12',
      purl: 'pkg:deb/debian/libfoo@1.0-1'
    },
    vulnerability: { id, aliases: [], fixedVersion: '1.0-2' },
    layer: { digest: 'sha256:' + 'a'.repeat(64) },
    ...over
  }
}

export function report(findings: Finding[], threshold: 'high' | 'critical' | 'medium' = 'high'): Report {
  return {
    tool: { name: 'secure-image', version: '1.2.3' },
    image: { ref: 'ghcr.io/octo/app:pr-1', id: 'sha256:' + 'b'.repeat(64) },
    findings,
    gate: evaluateGate(findings, threshold)
  }
}

/** The hostile text of a finding that tries to ping a team, load an image and inject a workflow command. */
export const HOSTILE =
  'pwned by @org/team <img src=x onerror=alert(1)> [click](https://evil.example) `code` | pipe\n::set-output name=x::y\r\n::error::fake'
