import { freePort, startProcess, stopProcess, waitForHttp } from './processes';

describe('process helpers', () => {
  it('starts a server process, waits until it answers, and stops its whole group', async () => {
    const port = await freePort();
    const script = `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`;
    const { child, output } = startProcess(process.execPath, ['-e', script]);
    await waitForHttp(`http://127.0.0.1:${port}/`, child, output);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    await stopProcess(child);
    expect(child.signalCode ?? child.exitCode).not.toBeNull();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('reports the output of a process that dies before it answers', async () => {
    const port = await freePort();
    const { child, output } = startProcess(process.execPath, [
      '-e',
      "console.error('bad config'); process.exit(3)",
    ]);
    await expect(waitForHttp(`http://127.0.0.1:${port}/`, child, output)).rejects.toThrow(
      /exited with 3 .*\n.*bad config/s,
    );
  });
});
