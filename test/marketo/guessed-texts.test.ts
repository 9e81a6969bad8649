import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

// docs/emulator.md marks each code and text the emulator answers with as observed or assumed. The connector may quote
// Marketo's messages, but must decide nothing on an assumed text: no string or regular expression literal of its
// sources may contain one.

const doc = readFileSync(path.join(repoRoot, 'docs/emulator.md'), 'utf8');

/**
 * Endings too common to tell apart: the connector's own local rejection `Value for field '…' not found` mirrors
 * Marketo's observed `Value for lookup field 'email' not found`.
 */
const GENERIC = new Set(['not found', "' not found"]);

/** The literal pieces of every text marked assumed (`…` marks a variable part; pieces shorter than 8 say nothing). */
function assumedFragments(): string[] {
  const section = doc.slice(doc.indexOf('## Codes and texts: observed or assumed'), doc.indexOf('## Where the docs are silent'));
  const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| code'));
  const fragments: string[] = [];
  for (const row of rows) {
    const [, text = '', evidence = ''] = row.split(' | ');
    if (!evidence.includes('assumed')) continue;
    for (const [, quoted] of text.matchAll(/`([^`]+)`/g)) {
      for (const piece of quoted!.split('…')) {
        const core = piece.trim();
        if (core.length >= 8 && !GENERIC.has(core)) fragments.push(core);
      }
    }
  }
  return fragments;
}

function connectorSources(dir = path.join(repoRoot, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'emulator' ? [] : connectorSources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The text of every string, template and regular expression literal in a source file. */
function literals(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) out.push(node.text);
    // A pattern is compared without its escapes: /warning\./ looks for "warning.".
    else if (ts.isRegularExpressionLiteral(node)) out.push(node.text.replace(/\\(.)/g, '$1'));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe('the connector parses no text that is only assumed', () => {
  const fragments = assumedFragments();

  test('docs/emulator.md lists the assumed texts', () => {
    expect(fragments).toEqual(expect.arrayContaining(["Lookup field '", 'Import failed', 'Unable to parse the import file:', 'Request Entity Too Large', 'warning.']));
  });

  test('no connector literal contains one', () => {
    const found = connectorSources().flatMap((file) =>
      literals(file).flatMap((literal) => fragments.filter((f) => literal.includes(f)).map((f) => `${path.relative(repoRoot, file)}: "${f}" in ${JSON.stringify(literal)}`)),
    );
    expect(found).toEqual([]);
  });
});
