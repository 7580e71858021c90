/**
 * Reading kernel and system files that may be absent: `/proc` and `/sys` entries differ between kernels, platforms
 * and containers, and a process can vanish between listing and reading. Absence is an answer here, not an error.
 */
import { readFile } from 'node:fs/promises';

/** The file's text, or undefined when it cannot be read. */
export async function readOptionalText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The file's trimmed text, or undefined when it cannot be read or is blank. */
export async function readOptionalValue(path: string): Promise<string | undefined> {
  const text = (await readOptionalText(path))?.trim();
  return text === '' ? undefined : text;
}
