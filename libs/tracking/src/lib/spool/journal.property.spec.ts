import fc from 'fast-check';
import { checkProperty } from '@mnist-mlops/testing';
import { journalLine, readJournal, type JournalAck, type JournalEntry } from './journal';

const text = fc.string({ maxLength: 12, unit: 'binary' });
const metric = fc.record({
  key: text,
  value: fc.double({ noNaN: true, noDefaultInfinity: true }),
  timestamp: fc.nat(),
  step: fc.nat(),
});
const write = fc.oneof(
  fc.record({
    op: fc.constant('createRun' as const),
    experimentName: text,
    runName: text,
    startTime: fc.nat(),
    tags: fc.array(fc.record({ key: text, value: text }), { maxLength: 3 }),
  }),
  fc.record({ op: fc.constant('logBatch' as const), metrics: fc.array(metric, { maxLength: 4 }) }),
  fc.record({
    op: fc.constant('updateRun' as const),
    status: fc.constantFrom('FINISHED', 'FAILED'),
    endTime: fc.nat(),
  }),
  fc.record({ op: fc.constant('logArtifact' as const), artifactPath: text, file: text }),
  fc.record({ op: fc.constant('createModelVersion' as const), name: text, artifactPath: text }),
);

/** A journal as the spooling store writes it: writes in order, some acknowledged. */
const journal = fc
  .array(fc.tuple(write, fc.boolean()), { minLength: 1, maxLength: 12 })
  .map((ops) => {
    const records: (JournalEntry | JournalAck)[] = [];
    ops.forEach(([op, acked], i) => {
      records.push({ seq: i + 1, at: 1_700_000_000_000 + i, ...op } as JournalEntry);
      if (acked) records.push({ ack: i + 1, runId: 'run-1' });
    });
    return { records, lines: records.map(journalLine) };
  });

/** Damage: cut the file at any byte and/or change a few bytes anywhere. */
const damage = fc.record({
  cut: fc.option(fc.nat(), { nil: undefined }),
  changes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 3 }),
});

describe('readJournal on a damaged journal', () => {
  it('reads every intact line once, in order, and names every damaged one', () =>
    checkProperty(
      fc.property(journal, damage, ({ records, lines }, { cut, changes }) => {
        const bytes = Buffer.from(lines.join(''), 'utf8');
        const damaged = Buffer.from(
          bytes.subarray(0, cut === undefined ? bytes.length : cut % (bytes.length + 1)),
        );
        for (const [at, delta] of changes)
          if (damaged.length)
            damaged[at % damaged.length] = (damaged[at % damaged.length] + delta) % 256;
        const { entries, acks, skipped } = readJournal(damaged.toString('utf8'));

        // Lines whose bytes all survived, by where they start.
        const intact: (JournalEntry | JournalAck)[] = [];
        let start = 0;
        lines.forEach((line, i) => {
          const length = Buffer.byteLength(line);
          const end = start + length;
          // Its own bytes, and the newline that ends the line before it (a changed newline
          // joins two lines into one damaged line).
          const untouched =
            end <= damaged.length &&
            changes.every(
              ([at]) =>
                !damaged.length || at % damaged.length < start - 1 || at % damaged.length >= end,
            );
          if (untouched) intact.push(records[i]);
          start = end;
        });
        const read = [...entries, ...acks];
        // Nothing half-read: everything read is one of the records written, each at most once.
        const written = records.map((r) => JSON.stringify(r));
        const readKeys = read.map((r) => JSON.stringify(r));
        for (const key of readKeys) expect(written).toContain(key);
        expect(new Set(readKeys).size).toBe(readKeys.length);
        // Nothing intact lost, and writes keep their order.
        for (const record of intact) expect(readKeys).toContain(JSON.stringify(record));
        const seqs = entries.map((e) => e.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        // Every line that holds text but was not read is named.
        const nonEmpty = damaged
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim()).length;
        expect(read.length + skipped.length).toBe(nonEmpty);
        for (const s of skipped) expect(s.reason).toMatch(/\S/);
      }),
    ));

  it('reads an undamaged journal whole, with nothing skipped', () =>
    checkProperty(
      fc.property(journal, ({ records, lines }) => {
        const { entries, acks, skipped } = readJournal(lines.join(''));
        expect(skipped).toEqual([]);
        expect([...entries, ...acks].length).toBe(records.length);
      }),
    ));
});
