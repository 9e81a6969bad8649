import { readFileSync } from 'node:fs';

export interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined and comments dropped (enough for our own Dockerfile). */
export function readDockerfile(file: string): Instruction[] {
  const logical = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return logical
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** The instructions of each build stage, split at FROM (the FROM itself starts each stage). */
export function stagesOf(instructions: Instruction[]): Instruction[][] {
  const stages: Instruction[][] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

/** `KEY=value` or `KEY="value"` pairs of one ENV or LABEL instruction. */
export function keyValues(args: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const match of args.matchAll(/([\w.-]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
    const [, key = '', raw = ''] = match;
    pairs.set(key, raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);
  }
  return pairs;
}

/**
 * Whether the build context keeps `file` under .dockerignore `patterns`: the last matching pattern wins, `!`
 * re-includes. Supports the subset our .dockerignore uses: `*`, and exact names of files or directories.
 */
export function keptInContext(file: string, patterns: string[]): boolean {
  let kept = true;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/\/$/, '');
    const matches = pattern === '*' || file === pattern || file.startsWith(`${pattern}/`);
    if (matches) kept = negated;
  }
  return kept;
}

export const ignorePatterns = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
