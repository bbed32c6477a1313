import { parse } from 'dotenv';

/** A key read from an env file, with the line it stands on so errors can point at it. */
export interface EnvFileEntry {
  value: string;
  line: number;
}

const KEY_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]/;

/**
 * Parses a params.env-style file: `KEY=value` lines, `#` comments, optional quotes.
 * Values come from dotenv's parser; the line numbers from a scan of the same text.
 */
export function parseEnvFile(text: string): Map<string, EnvFileEntry> {
  const values = parse(text);
  const lines = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, index) => {
    const match = KEY_LINE.exec(line);
    if (match) lines.set(match[1], index + 1);
  });
  const entries = new Map<string, EnvFileEntry>();
  for (const [key, value] of Object.entries(values)) {
    entries.set(key, { value, line: lines.get(key) ?? 0 });
  }
  // Lines that look like settings but that dotenv could not read are reported too.
  for (const [key, line] of lines) {
    if (!entries.has(key)) entries.set(key, { value: '', line });
  }
  return entries;
}
