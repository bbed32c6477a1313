import { createHash } from 'node:crypto';

/**
 * The spool journal's line format: one JSON object per line, a write (`seq`, `op`, its fields) or
 * an acknowledgement of one sent (`ack`), each with `sum`, the first 8 hex digits of the SHA-256
 * of the line without it. A line cut short by a crash or changed on disk fails its sum and is
 * skipped by name, never sent half-read; every intact line is still read.
 */

export const SPOOLED_OPS = [
  'createRun',
  'logBatch',
  'updateRun',
  'logInputs',
  'logArtifact',
  'createLoggedModel',
  'logModelArtifact',
  'finalizeLoggedModel',
  'logOutputs',
  'createModelVersion',
  'setRegisteredModelAlias',
] as const;

export interface JournalEntry {
  seq: number;
  op: (typeof SPOOLED_OPS)[number];
  [key: string]: unknown;
}

export interface JournalAck {
  ack: number;
  runId?: string;
  /** For a replayed createLoggedModel: the id the server gave the model. */
  modelId?: string;
}

export interface SkippedLine {
  /** 1-based line number in the journal. */
  line: number;
  reason: string;
}

function sumOf(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 8);
}

/** One journal line (with its newline) for a write or an acknowledgement. */
export function journalLine(record: JournalEntry | JournalAck): string {
  const body = JSON.stringify(record);
  return `${body.slice(0, -1)},"sum":"${sumOf(body)}"}\n`;
}

/** The fields each op must have, and their JSON types. */
const REQUIRED: Record<JournalEntry['op'], Record<string, 'string' | 'number' | 'array'>> = {
  createRun: { experimentName: 'string', runName: 'string', startTime: 'number', tags: 'array' },
  logBatch: {},
  updateRun: { status: 'string', endTime: 'number' },
  logInputs: { datasets: 'array' },
  logArtifact: { artifactPath: 'string', file: 'string' },
  createLoggedModel: { modelId: 'string', name: 'string', modelType: 'string', params: 'array' },
  logModelArtifact: { modelId: 'string', artifactPath: 'string', file: 'string' },
  finalizeLoggedModel: { modelId: 'string', status: 'string' },
  logOutputs: { models: 'array' },
  createModelVersion: { name: 'string' },
  setRegisteredModelAlias: { name: 'string', alias: 'string', version: 'string' },
};

function problemOf(record: Record<string, unknown>): string | undefined {
  if (typeof record['ack'] === 'number')
    return ['runId', 'modelId'].every(
      (field) => record[field] === undefined || typeof record[field] === 'string',
    )
      ? undefined
      : 'an acknowledgement with a run or model id that is not text';
  if (!Number.isInteger(record['seq'])) return 'neither a write with a sequence number nor an ack';
  const op = record['op'] as JournalEntry['op'];
  if (!SPOOLED_OPS.includes(op)) return `unknown operation ${JSON.stringify(record['op'])}`;
  for (const [field, type] of Object.entries(REQUIRED[op])) {
    const value = record[field];
    if (type === 'array' ? !Array.isArray(value) : typeof value !== type)
      return `${op} without a valid ${field}`;
  }
  if (
    op === 'createModelVersion' &&
    typeof record['artifactPath'] !== 'string' &&
    typeof record['modelId'] !== 'string'
  )
    return 'createModelVersion from neither an artifact path nor a logged model';
  for (const list of ['metrics', 'params', 'tags'])
    if (op === 'logBatch' && record[list] !== undefined && !Array.isArray(record[list]))
      return `logBatch with ${list} that is not a list`;
  return undefined;
}

/** Reads a journal: the intact writes and acks in order, and the lines skipped with the reason. */
export function readJournal(text: string): {
  entries: JournalEntry[];
  acks: JournalAck[];
  skipped: SkippedLine[];
} {
  const entries: JournalEntry[] = [];
  const acks: JournalAck[] = [];
  const skipped: SkippedLine[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    const skip = (reason: string): void => void skipped.push({ line: index + 1, reason });
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      return skip(index === lines.length - 1 ? 'cut short' : 'not JSON');
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record))
      return skip('not a JSON object');
    const { sum, ...fields } = record as Record<string, unknown>;
    if (typeof sum !== 'string' || sumOf(JSON.stringify(fields)) !== sum)
      return skip('its checksum does not match (changed or cut short)');
    const problem = problemOf(fields);
    if (problem) return skip(problem);
    if (typeof fields['ack'] === 'number') acks.push(fields as unknown as JournalAck);
    else entries.push(fields as JournalEntry);
  });
  return { entries, acks, skipped };
}
