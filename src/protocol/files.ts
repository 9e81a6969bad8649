/** Reading the --config and --catalog files; every failure is a config_error naming the file. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { configError } from './errors.js';
import { ConfiguredAirbyteCatalog } from './messages.js';

/**
 * The parse error is left out of the message on purpose: V8 quotes the offending text, and a
 * config file holds secrets that the redactor cannot know before the file is parsed.
 */
export async function readJsonFile(path: string, what: 'config' | 'catalog'): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'it does not exist' : (code ?? 'unknown error');
    throw configError(`Cannot read the ${what} file ${path}: ${reason}.`, { cause: error });
  }
  try {
    // A UTF-8 BOM (as some Windows editors write) is not part of the JSON text.
    return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    throw configError(`The ${what} file ${path} is not valid JSON.`);
  }
}

export async function readCatalog(path: string): Promise<ConfiguredAirbyteCatalog> {
  const parsed = ConfiguredAirbyteCatalog.safeParse(await readJsonFile(path, 'catalog'));
  if (!parsed.success) {
    throw configError(`The catalog file ${path} is not a valid ConfiguredAirbyteCatalog:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
