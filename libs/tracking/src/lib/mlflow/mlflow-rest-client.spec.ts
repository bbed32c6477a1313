import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TrackingRequestError, TrackingUnavailableError } from '../errors';
import { authFromEnv, MlflowRestClient, redactUri, restOptionsFromEnv } from './mlflow-rest-client';

type Handler = (request: IncomingMessage, body: string) => { status: number; body: unknown };

async function serve(handler: Handler): Promise<{
  uri: string;
  requests: { headers: IncomingMessage['headers']; url?: string }[];
  close(): Promise<void>;
}> {
  const requests: { headers: IncomingMessage['headers']; url?: string }[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (c) => (body += c));
    request.on('end', () => {
      requests.push({ headers: request.headers, url: request.url });
      const answer = handler(request, body);
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    uri: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const quick = { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '3', MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.01' };

describe('MlflowRestClient', () => {
  it('retries 503 and 429 with backoff, then succeeds', async () => {
    let calls = 0;
    const server = await serve(() =>
      ++calls <= 2
        ? { status: calls === 1 ? 503 : 429, body: { message: 'busy' } }
        : { status: 200, body: { ok: true } },
    );
    const client = new MlflowRestClient(server.uri, restOptionsFromEnv(quick, server.uri));
    expect(await client.get('experiments/get-by-name', { experiment_name: 'x' })).toEqual({
      ok: true,
    });
    expect(calls).toBe(3);
    await server.close();
  });

  it('does not retry a 4xx and reports the MLflow error code', async () => {
    let calls = 0;
    const server = await serve(
      () => (
        calls++,
        { status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'bad key' } }
      ),
    );
    const client = new MlflowRestClient(server.uri, restOptionsFromEnv(quick, server.uri));
    const attempt = client.post('runs/log-batch', {});
    await expect(attempt).rejects.toBeInstanceOf(TrackingRequestError);
    await expect(client.post('runs/log-batch', {})).rejects.toThrow(
      `POST ${server.uri}/api/2.0/mlflow/runs/log-batch answered 400 INVALID_PARAMETER_VALUE: bad key`,
    );
    expect(calls).toBe(2);
    await server.close();
  });

  it('gives up on an unreachable server with a TrackingUnavailableError after its retries', async () => {
    const server = await serve(() => ({ status: 200, body: {} }));
    const uri = server.uri;
    await server.close();
    const client = new MlflowRestClient(uri, restOptionsFromEnv(quick, uri));
    await expect(client.get('runs/get', { run_id: 'x' })).rejects.toThrow(TrackingUnavailableError);
    await expect(client.get('runs/get', { run_id: 'x' })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('sends basic auth from the environment or the URI, and a bearer token, never in the URL or messages', async () => {
    const server = await serve(() => ({ status: 500, body: { message: 'boom' } }));
    const withToken = new MlflowRestClient(
      server.uri,
      restOptionsFromEnv(
        { ...quick, MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0', MLFLOW_TRACKING_TOKEN: 's3cr3t-token' },
        server.uri,
      ),
    );
    const error = await withToken.get('runs/get').catch((e: Error) => e);
    expect(server.requests[0].headers.authorization).toBe('Bearer s3cr3t-token');
    expect(String(error)).not.toContain('s3cr3t');

    const uriWithUser = server.uri.replace('http://', 'http://alice:pa%3Ass@');
    const basic = new MlflowRestClient(
      uriWithUser,
      restOptionsFromEnv({ ...quick, MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0' }, uriWithUser),
    );
    expect(basic.baseUrl).toBe(server.uri);
    const basicError = await basic.get('runs/get').catch((e: Error) => e);
    expect(server.requests[1].headers.authorization).toBe(
      `Basic ${Buffer.from('alice:pa:ss').toString('base64')}`,
    );
    expect(String(basicError)).not.toContain('alice');
    await server.close();
  });

  it('prefers MLFLOW_TRACKING_USERNAME/PASSWORD and redacts credentials from URIs', async () => {
    const headers = await authFromEnv(
      { MLFLOW_TRACKING_USERNAME: 'bob', MLFLOW_TRACKING_PASSWORD: 'pw' },
      'https://mlflow.example.com',
    )();
    expect(headers).toEqual({ authorization: `Basic ${Buffer.from('bob:pw').toString('base64')}` });
    expect(await authFromEnv({}, 'http://localhost:5000')()).toEqual({});
    expect(redactUri('https://u:p@mlflow.example.com/')).toBe('https://mlflow.example.com');
  });
});
