/** The connector's command line: `<command> [--config F] [--catalog F] [--debug]`, or `help` / `--help` / `-h`. */

export type Command = 'spec' | 'check' | 'discover' | 'write';

export type CliArgs =
  | { command: 'help' }
  | { command: 'spec'; debug: boolean }
  | { command: 'check' | 'discover'; config: string; debug: boolean }
  | { command: 'write'; config: string; catalog: string; debug: boolean };

/** A bad command line: the runner prints the message and the usage to stderr and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type FileFlag = 'config' | 'catalog';

const FILE_FLAGS: Record<Command, readonly FileFlag[]> = {
  spec: [],
  check: ['config'],
  discover: ['config'],
  write: ['config', 'catalog'],
};

const SYNOPSIS: Record<Command, string> = {
  spec: 'spec',
  check: 'check --config <config.json>',
  discover: 'discover --config <config.json>',
  write: 'write --config <config.json> --catalog <catalog.json>',
};

export function usage(commands: readonly Command[]): string {
  const lines = commands.map((command) => `  ${SYNOPSIS[command]} [--debug]`);
  return ['Usage:', ...lines, '  help | --help | -h', '', 'Flags accept "--flag value" and "--flag=value".'].join('\n');
}

const HELP = new Set(['help', '--help', '-h']);

/** Parses argv (without the node and script paths) for the given commands; throws UsageError. */
export function parseArgs(argv: readonly string[], commands: readonly Command[]): CliArgs {
  // Asking for help anywhere on the line is an answer, not an error: `write --help` prints the usage too.
  if ((argv[0] !== undefined && HELP.has(argv[0])) || argv.some((token) => token === '--help' || token === '-h')) {
    return { command: 'help' };
  }
  const [name, ...rest] = argv;
  const command = commands.find((known) => known === name);
  if (command === undefined) {
    throw new UsageError(name === undefined ? 'Missing command.' : `Unknown command "${name}".`);
  }
  const allowed = FILE_FLAGS[command];
  const files: Partial<Record<FileFlag, string>> = {};
  const seen = new Set<string>();
  let debug = false;

  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] ?? '';
    if (!token.startsWith('--')) throw new UsageError(`Unexpected argument "${token}".`);
    const equals = token.indexOf('=');
    const flag = token.slice(2, equals === -1 ? undefined : equals);
    if (seen.has(flag)) throw new UsageError(`--${flag} is given twice.`);
    seen.add(flag);

    if (flag === 'debug') {
      if (equals !== -1) throw new UsageError('--debug takes no value.');
      debug = true;
      continue;
    }
    const fileFlag = allowed.find((known) => known === flag);
    if (fileFlag === undefined) throw new UsageError(`Unknown flag --${flag} for "${command}".`);

    let value: string | undefined;
    if (equals !== -1) {
      value = token.slice(equals + 1);
    } else {
      value = rest[i + 1];
      if (value !== undefined && value.startsWith('--')) value = undefined;
      else i++;
    }
    if (!value) throw new UsageError(`--${flag} needs a file path.`);
    files[fileFlag] = value;
  }

  const missing = allowed.filter((flag) => files[flag] === undefined);
  if (missing.length > 0) {
    throw new UsageError(`"${command}" needs ${missing.map((flag) => `--${flag}`).join(' and ')}.`);
  }
  const { config = '', catalog = '' } = files;
  switch (command) {
    case 'spec':
      return { command, debug };
    case 'check':
    case 'discover':
      return { command, debug, config };
    case 'write':
      return { command, debug, config, catalog };
  }
}
