import express, { type Request, type RequestHandler } from 'express';
import { ApiError } from './api-error';

/** The header of the binary tensor extension: how many leading bytes of the body are JSON. */
const HEADER_LENGTH = 'inference-header-content-length';

const binaryData = new WeakMap<Request, Buffer>();

/** The bytes after the JSON header of a request that used the binary tensor extension. */
export function binaryDataOf(request: Request): Buffer | undefined {
  return binaryData.get(request);
}

/**
 * Reads a protocol request's body whatever its content type: tritonclient sends none, TF
 * Serving's examples use curl's form default, KServe's client `application/octet-stream` when the
 * binary tensor extension puts raw tensors after the JSON. The JSON becomes `request.body` (for
 * tsoa to validate), the rest is kept for `binaryDataOf`. gzip and deflate bodies are inflated.
 */
export function inferenceBody(limitBytes: number): RequestHandler {
  const raw = express.raw({ type: () => true, limit: limitBytes });
  return (request, response, next) => {
    raw(request, response, (error?: unknown) => {
      if (error) return next(error);
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const header = request.headers[HEADER_LENGTH];
      let jsonLength = body.length;
      if (header !== undefined) {
        jsonLength = Number(header);
        if (!/^\d+$/.test(String(header)) || jsonLength > body.length)
          return next(
            new ApiError(
              400,
              'MALFORMED_BODY',
              `Inference-Header-Content-Length is ${JSON.stringify(header)}, but the body has ${body.length} bytes`,
            ),
          );
        binaryData.set(request, body.subarray(jsonLength));
      }
      try {
        request.body = JSON.parse(body.subarray(0, jsonLength).toString('utf8'));
      } catch (parseError) {
        return next(
          new ApiError(
            400,
            'MALFORMED_BODY',
            `the request's JSON could not be parsed: ${(parseError as Error).message}`,
          ),
        );
      }
      next();
    });
  };
}
