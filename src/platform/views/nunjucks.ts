import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import nunjucks from 'nunjucks'
import { ROOT, SRC } from '../paths.js'

/** Where templates are looked up: the app's views, each module's views/ folder, then govuk-frontend. */
export function templatePaths(): string[] {
  const modulesDir = join(SRC, 'modules')
  const moduleViews = existsSync(modulesDir)
    ? readdirSync(modulesDir)
        .map((m) => join(modulesDir, m, 'views'))
        .filter((p) => existsSync(p))
    : []
  return [join(SRC, 'views'), ...moduleViews, join(ROOT, 'node_modules', 'govuk-frontend', 'dist')]
}

/** A Nunjucks environment; HTML pages autoescape everything (`| safe` only on sanitised HTML). */
export function createNunjucksEnv(options: { autoescape: boolean; watch?: boolean }): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader(templatePaths(), {
    noCache: false,
    watch: options.watch ?? false,
  })
  return new nunjucks.Environment(loader, {
    autoescape: options.autoescape,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  })
}
