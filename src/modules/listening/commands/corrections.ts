import { parseArgs } from 'node:util'
import { type CliCommand, CliError } from '../../../platform/cli/command.js'
import { correctionsTsv, listCorrections } from '../store/correction-store.js'

const USAGE = `Usage: townsquare listening corrections [--json]

Prints the sentiment labels staff corrected on the listening pages, one "label<TAB>text" per
line, oldest first: the file the training script reads for the next model,
  npx townsquare listening corrections > corrections.tsv
  npx tsx scripts/train-sentiment.ts --extra corrections.tsv
--json prints [{postId, label, modelLabel, lang, correctedAt, text}] instead.`

export const listeningCorrectionsCommand: CliCommand = {
  path: ['listening', 'corrections'],
  summary: 'print staff corrections of sentiment labels, for the next training',
  usage: USAGE,
  async run(args, io) {
    let json: boolean | undefined
    try {
      json = parseArgs({ args: [...args], options: { json: { type: 'boolean' } }, strict: true }).values.json
    } catch (err) {
      throw new CliError((err as Error).message.split('\n')[0] ?? 'bad arguments')
    }
    const { db } = await io.services()
    const corrections = await listCorrections(db)
    io.stdout.write(json ? `${JSON.stringify(corrections)}\n` : correctionsTsv(corrections))
    return 0
  },
}
