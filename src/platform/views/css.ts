import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT } from '../paths.js'

export const cssPath = join(ROOT, 'dist', 'assets', 'app.css')

/** The build compiles the Sass; a checkout run straight from src/ (tests, `npm run cli`) compiles it on first boot. */
export async function ensureCss(): Promise<void> {
  if (existsSync(cssPath)) return
  // scripts/css.mjs is plain JS shared with the build script.
  const { buildCss } = (await import(pathToFileURL(join(ROOT, 'scripts', 'css.mjs')).href)) as {
    buildCss: () => unknown
  }
  buildCss()
}
