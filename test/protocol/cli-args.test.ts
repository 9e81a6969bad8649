import { describe, expect, it } from 'vitest';
import { parseArgs, usage, UsageError, type Command } from '../../src/protocol/cli-args.js';

const ALL: Command[] = ['spec', 'check', 'discover', 'write'];

describe('parseArgs', () => {
  it.each([
    [['spec'], { command: 'spec', debug: false }],
    [['spec', '--debug'], { command: 'spec', debug: true }],
    [['check', '--config', 'c.json'], { command: 'check', config: 'c.json', debug: false }],
    [['check', '--config=c.json', '--debug'], { command: 'check', config: 'c.json', debug: true }],
    [['discover', '--debug', '--config', 'a=b.json'], { command: 'discover', config: 'a=b.json', debug: true }],
    [['write', '--catalog=k.json', '--config', 'c.json'], { command: 'write', config: 'c.json', catalog: 'k.json', debug: false }],
  ])('parses %j', (argv, expected) => {
    expect(parseArgs(argv, ALL)).toEqual(expected);
  });

  it.each([
    [[], 'Missing command.'],
    [['read', '--config', 'c.json'], 'Unknown command "read".'],
    [['discover', '--config', 'c.json'], 'Unknown command "discover".', ['spec', 'check', 'write'] as Command[]],
    [['check'], '"check" needs --config.'],
    [['write', '--config', 'c.json'], '"write" needs --catalog.'],
    [['write'], '"write" needs --config and --catalog.'],
    [['check', '--config'], '--config needs a file path.'],
    [['check', '--config='], '--config needs a file path.'],
    [['check', '--config', '--debug'], '--config needs a file path.'],
    [['check', '--config', 'a', '--config', 'b'], '--config is given twice.'],
    [['check', '--config', 'a', 'extra'], 'Unexpected argument "extra".'],
    [['spec', '--config', 'c.json'], 'Unknown flag --config for "spec".'],
    [['check', '--config', 'c', '--catalog', 'k'], 'Unknown flag --catalog for "check".'],
    [['spec', '--debug=yes'], '--debug takes no value.'],
    [['spec', '-debug'], 'Unexpected argument "-debug".'],
  ])('rejects %j', (argv, message, commands = ALL) => {
    expect(() => parseArgs(argv, commands)).toThrow(new UsageError(message));
  });
});

describe('help', () => {
  it.each([[['--help']], [['-h']], [['help']], [['write', '--config', 'c.json', '--help']], [['check', '-h']], [['bogus', '--help']]])(
    'is asked for by %j',
    (argv) => {
      expect(parseArgs(argv, ALL)).toEqual({ command: 'help' });
    },
  );

  it('is a command only in first place, and a file may be called -h', () => {
    expect(() => parseArgs(['spec', 'help'], ALL)).toThrow(new UsageError('Unexpected argument "help".'));
    expect(parseArgs(['check', '--config=-h'], ALL)).toEqual({ command: 'check', config: '-h', debug: false });
  });
});

describe('usage', () => {
  it('lists only the commands offered', () => {
    expect(usage(['spec', 'check', 'write'])).toContain('write --config <config.json> --catalog <catalog.json> [--debug]');
    expect(usage(['spec', 'check', 'write'])).not.toContain('discover');
    expect(usage(ALL)).toContain('discover --config <config.json>');
  });
});
