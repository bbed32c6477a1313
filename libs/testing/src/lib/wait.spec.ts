import { waitUntil } from './wait';

describe('waitUntil', () => {
  it('returns the first value the probe gives that is not undefined or false', async () => {
    let calls = 0;
    const value = await waitUntil('the third call', () => (++calls === 3 ? 'ready' : undefined), {
      intervalMs: 1,
    });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('keeps 0 and empty strings, which are answers', async () => {
    expect(await waitUntil('zero', () => 0)).toBe(0);
  });

  it('names what it waited for when the time runs out', async () => {
    await expect(
      waitUntil('the moon to turn blue', async () => false, { timeoutMs: 20, intervalMs: 5 }),
    ).rejects.toThrow('gave up after 0.02s: the moon to turn blue');
  });
});
