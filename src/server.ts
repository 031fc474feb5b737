import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { type Config, ConfigError, loadConfig } from './config.js'
import { seedDemo } from './platform/demo/demo.js'
import { createServices } from './platform/services.js'

/** The runner: load config, build services and the app, listen, close gracefully. */
async function main(): Promise<void> {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`)
      process.exit(78) // EX_CONFIG
    }
    throw err
  }
  const services = await createServices(config)
  if (config.demo) {
    const logins = await seedDemo(services, new Date())
    if (logins) {
      process.stdout.write('\nTownsquare demo data loaded. Staff logins:\n')
      for (const l of logins) process.stdout.write(`  ${l.role.padEnd(15)} ${l.email}  ${l.password}\n`)
      process.stdout.write('\n')
    } else {
      process.stdout.write('\nDemo data already present; demo staff logins are unchanged (see README).\n')
    }
  }
  const app = await buildApp(services)
  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) app.log.error({ err }, 'closing after an error')
    else app.log.info({ signal }, 'closing')
    await app.close()
    await services.close()
  })
  if (config.jobs) await services.jobs.start()
  await app.listen({ port: config.port, host: config.host })
  process.stdout.write(`Townsquare is listening on ${config.publicUrl} (database: ${services.dialect})\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`Townsquare failed to start: ${(err as Error).message}\n`)
  process.exit(1)
})
