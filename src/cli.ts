#!/usr/bin/env node
// Composition root of the `imply-operator` executable: picks the subcommand, parses its flags
// (flag, else environment variable, else default) and runs it.
import { commands } from './cli/commands.js';
import { helpFor, parseFlags, UsageError } from './cli/command-line.js';

function usage(): string {
  const lines = ['Usage: imply-operator <command> [flags]', '', 'Commands:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(12)} ${c.summary}`);
  lines.push('', "Run 'imply-operator <command> --help' for a command's flags.");
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (entry === undefined) {
    console.error(`unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(helpFor(command));
    return 0;
  }
  try {
    await command.run(parseFlags(command, rest, process.env));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${helpFor(command)}`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
