/**
 * Runs before every test file (jest.config.js `setupFiles`): the scan's cache (offline OSV name indexes) goes to
 * a folder of this test process unless the run names one (scripts/test.mjs does), so tests never read or write
 * the user's own cache, and CLI processes the tests start inherit it.
 */
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

process.env.SECURE_IMAGE_CACHE_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'si-test-cache-'))
