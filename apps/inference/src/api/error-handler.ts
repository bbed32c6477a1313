import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import multer from 'multer';
import { ValidateError } from 'tsoa';
import { NoDigitFoundError } from '@mnist-mlops/data';
import type { ErrorResponse } from './api-types';
import { ApiError } from './api-error';
import { TensorInputError } from '../services/protocols/tensor-data';

export function errorBody(code: string, message: string): ErrorResponse {
  return { error: { code, message } };
}

/** The standard protocols' routes: TF Serving's /v1/models and the Open Inference Protocol's /v2. */
export function speaksProtocol(path: string): boolean {
  return path === '/v2' || path.startsWith('/v2/') || path.startsWith('/v1/models');
}

/**
 * The error shape of the route asked: `{"error": "..."}` on the protocol routes, as Triton's,
 * KServe's and TF Serving's clients read it, `{"error": {code, message}}` everywhere else.
 */
export function errorBodyFor(
  request: Request,
  code: string,
  message: string,
): ErrorResponse | { error: string } {
  return speaksProtocol(request.path) ? { error: message } : errorBody(code, message);
}

const MULTER_ERRORS: Record<string, [number, string, (field?: string) => string]> = {
  LIMIT_FILE_SIZE: [413, 'FILE_TOO_LARGE', () => 'the uploaded file is larger than the limit'],
  LIMIT_UNEXPECTED_FILE: [
    400,
    'UNEXPECTED_FIELD',
    (field) => `unexpected file field "${field}"; send the image in the form field "input"`,
  ],
  LIMIT_FILE_COUNT: [400, 'TOO_MANY_FILES', () => 'too many files in one request'],
  LIMIT_PART_COUNT: [400, 'TOO_MANY_PARTS', () => 'too many parts in the multipart body'],
  LIMIT_FIELD_KEY: [400, 'MALFORMED_MULTIPART', () => 'a form field name is too long'],
  LIMIT_FIELD_VALUE: [400, 'MALFORMED_MULTIPART', () => 'a form field value is too long'],
  LIMIT_FIELD_COUNT: [400, 'MALFORMED_MULTIPART', () => 'too many form fields'],
};

/**
 * Turns every failure into `{ "error": { "code", "message" } }` with a 4xx status where the
 * request was at fault; anything unexpected is a 500 whose details go to the log, not the client.
 */
export function errorHandler(
  log: (error: unknown, request: Parameters<RequestHandler>[0]) => void,
): ErrorRequestHandler {
  return (error, request, response, next) => {
    if (response.headersSent) return next(error);
    let status = 500;
    let code = 'INTERNAL_ERROR';
    let message = 'the server failed to handle this request';
    if (error instanceof ApiError) {
      ({ status, code, message } = error);
      // A BYTES element that is not a PNG or JPEG: the request's own media type was fine.
      if (status === 415 && speaksProtocol(request.path)) status = 400;
    } else if (error instanceof TensorInputError) {
      [status, code, message] = [400, 'INVALID_TENSOR', error.message];
    } else if (error instanceof multer.MulterError) {
      const [multerStatus, name, text] = MULTER_ERRORS[error.code] ?? [
        400,
        'MALFORMED_MULTIPART',
        () => error.message,
      ];
      [status, code, message] = [multerStatus, name, text(error.field)];
    } else if (error instanceof ValidateError) {
      const details = Object.entries(error.fields).map(([field, detail]) =>
        validationDetail(field, detail),
      );
      [status, code, message] = [
        400,
        'INVALID_REQUEST',
        details.join('; ') || 'the request is not valid',
      ];
    } else if (error instanceof NoDigitFoundError) {
      [status, code, message] = [422, 'NO_DIGIT_FOUND', error.message];
    } else if (isBusboyError(error)) {
      [status, code, message] = [
        400,
        'MALFORMED_MULTIPART',
        `the multipart body could not be read: ${(error as Error).message}`,
      ];
    } else if ((error as { type?: string }).type === 'entity.parse.failed') {
      [status, code, message] = [400, 'MALFORMED_BODY', 'the request body could not be parsed'];
    } else if ((error as { type?: string }).type === 'entity.too.large') {
      [status, code, message] = [
        413,
        'BODY_TOO_LARGE',
        `the request body is larger than the limit of ${(error as { limit?: number }).limit} bytes`,
      ];
    } else if ((error as { type?: string }).type === 'encoding.unsupported') {
      [status, code, message] = [415, 'UNSUPPORTED_ENCODING', (error as Error).message];
    }
    // Only failures nobody planned for are logged with their stack; the request log has a line for every answer.
    if (status >= 500 && !(error instanceof ApiError)) log(error, request);
    response.status(status).json(errorBodyFor(request, code, message));
  };
}

/** `body.inputs.$0.datatype` as `inputs[0].datatype`: the field as the client wrote it. */
function fieldName(field: string): string {
  return field.replace(/^(body|requestBody)\./, '').replace(/\.\$(\d+)/g, '[$1]');
}

const UNION = /^Could not match the union against any of the items\. Issues: (.*)$/s;
const ONE_OF = /should be one of the following; \[(.*)\]/;

/**
 * One of tsoa's validation failures, for people: a union of literals reads "should be one of
 * 'FP32', 'UINT8'" instead of tsoa's JSON dump of every alternative, and the offending value is named.
 */
function validationDetail(field: string, detail: { message: string; value?: unknown }): string {
  let message = detail.message;
  const union = UNION.exec(message);
  if (union) {
    try {
      const issues = (JSON.parse(union[1]) as Record<string, { message: string }>[]).flatMap(
        (issue) => Object.entries(issue),
      );
      const options = issues.map(([, issue]) => ONE_OF.exec(issue.message)?.[1]);
      message = options.every(Boolean)
        ? `should be one of ${options.join(', ')}`
        : issues.map(([name, issue]) => `${fieldName(name)}: ${issue.message}`).join(', or ');
    } catch {
      // Not the JSON tsoa writes: its own message stands.
    }
  } else {
    const one = ONE_OF.exec(message);
    if (one) message = `should be ${one[1]}`;
  }
  const value =
    detail.value === undefined || typeof detail.value === 'object'
      ? ''
      : ` (got ${JSON.stringify(detail.value)})`;
  return `${fieldName(field)}: ${message}${value}`;
}

function isBusboyError(error: unknown): boolean {
  const message = (error as Error)?.message ?? '';
  return /Unexpected end of form|Malformed part header|Multipart: Boundary not found|Unexpected end of multipart data/i.test(
    message,
  );
}

/** Answers 404 in the error shape for paths that match no route. */
export const notFoundHandler: RequestHandler = (request, response) => {
  response
    .status(404)
    .json(errorBodyFor(request, 'NOT_FOUND', `no route for ${request.method} ${request.path}`));
};
