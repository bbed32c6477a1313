import { connect, createServer, type Socket } from 'node:net';

/** When to cut: once `afterBytes` have gone one way for a request whose bytes match `request`. */
export interface FaultTrigger {
  /** Matched against everything the client has sent on the connection (head and body). */
  request: RegExp;
  /** `upload`: count bytes the client sends after the match; `download`: bytes it receives. */
  during: 'upload' | 'download';
  afterBytes: number;
  /** Runs once, before the connection is cut (e.g. crash the server behind the proxy). */
  action: () => Promise<void> | void;
}

export interface FaultProxy {
  endpoint: string;
  /** Whether the trigger has fired. */
  fired(): boolean;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a server that cuts the transfer at an exact point: when the trigger's
 * byte count is reached it stops forwarding, runs the action and ends both sides of that
 * connection. Every other connection is passed through untouched, so what a client sees is
 * what it would see if the server had gone away at that moment.
 */
export async function startFaultProxy(
  targetPort: number,
  trigger: FaultTrigger,
): Promise<FaultProxy> {
  let fired = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    let sent = '';
    let counting = false;
    let counted = 0;
    let cutting = false;
    const cut = async () => {
      cutting = true;
      fired = true;
      client.pause();
      upstream.pause();
      await trigger.action();
      client.destroy();
      upstream.destroy();
    };
    /** Forwards what the trigger allows of a chunk; cuts the connection once it has fired. */
    const forward = (chunk: Buffer, to: Socket, direction: FaultTrigger['during']) => {
      if (cutting) return;
      let allowed = chunk.length;
      const limited = counting && trigger.during === direction;
      if (limited) {
        allowed = Math.min(chunk.length, trigger.afterBytes - counted);
        counted += allowed;
      }
      if (allowed > 0) to.write(chunk.subarray(0, allowed));
      if (limited && counted >= trigger.afterBytes) void cut();
    };
    client.on('data', (chunk: Buffer) => {
      if (!counting && !fired && !cutting) {
        // Latin-1 keeps one character per byte, so positions in the text are byte offsets.
        sent = (sent + chunk.toString('latin1')).slice(-64 * 1024);
        const match = trigger.request.exec(sent);
        if (match) {
          counting = true;
          const end = match.index + match[0].length - (sent.length - chunk.length);
          const head = Math.max(0, Math.min(chunk.length, end));
          upstream.write(chunk.subarray(0, head));
          forward(chunk.subarray(head), upstream, 'upload');
          return;
        }
      }
      forward(chunk, upstream, 'upload');
    });
    upstream.on('data', (chunk: Buffer) => forward(chunk, client, 'download'));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the proxy has no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    fired: () => fired,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
