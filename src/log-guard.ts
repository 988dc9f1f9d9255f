/**
 * Output that came from the build (RUN output, pull and push status) is untrusted text: on a GitHub runner, a
 * line such as `::add-mask::…`, `::error file=…::…` or `::stop-commands::…` would be read as a workflow command
 * and could forge or hide annotations. Such output is written between `::stop-commands::<token>` and
 * `::<token>::`, with a fresh random token per block that the build cannot guess, so the runner reads none of it
 * as a command (https://docs.github.com/actions/reference/workflow-commands-for-github-actions#stopping-and-starting-workflow-commands).
 */
import { randomBytes } from 'node:crypto'

/** A token for one stop-commands block: 32 random hex digits. */
export function stopToken(): string {
  return randomBytes(16).toString('hex')
}

/**
 * Runs `fn` with a writer for untrusted lines, all of them inside one stop-commands block written with `line`.
 * Command processing resumes when `fn` settles, whether it succeeded or threw.
 */
export async function withCommandsStopped<T>(
  line: (text: string) => void,
  fn: (write: (text: string) => void) => Promise<T>
): Promise<T> {
  const token = stopToken()
  line(`::stop-commands::${token}`)
  try {
    return await fn(line)
  } finally {
    line(`::${token}::`)
  }
}
