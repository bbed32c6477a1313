import type { ErrorRequestHandler, RequestHandler } from 'express';
import multer from 'multer';
import { ValidateError } from 'tsoa';
import { NoDigitFoundError } from '@mnist-mlops/data';
import type { ErrorResponse } from './api-types';
import { ApiError } from './api-error';

export function errorBody(code: string, message: string): ErrorResponse {
  return { error: { code, message } };
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
    let body = errorBody('INTERNAL_ERROR', 'the server failed to handle this request');
    if (error instanceof ApiError) {
      status = error.status;
      body = errorBody(error.code, error.message);
    } else if (error instanceof multer.MulterError) {
      const [code, name, message] = MULTER_ERRORS[error.code] ?? [
        400,
        'MALFORMED_MULTIPART',
        () => error.message,
      ];
      status = code;
      body = errorBody(name, message(error.field));
    } else if (error instanceof ValidateError) {
      status = 400;
      const details = Object.entries(error.fields).map(
        ([field, { message }]) => `${field.replace(/^[^.]*\./, '')}: ${message}`,
      );
      body = errorBody('INVALID_REQUEST', details.join('; ') || 'the request is not valid');
    } else if (error instanceof NoDigitFoundError) {
      status = 422;
      body = errorBody('NO_DIGIT_FOUND', error.message);
    } else if (isBusboyError(error)) {
      status = 400;
      body = errorBody(
        'MALFORMED_MULTIPART',
        `the multipart body could not be read: ${(error as Error).message}`,
      );
    } else if ((error as { type?: string }).type === 'entity.parse.failed') {
      status = 400;
      body = errorBody('MALFORMED_BODY', 'the request body could not be parsed');
    }
    // Only failures nobody planned for are logged with their stack; pino-http logs every answer.
    if (status >= 500 && !(error instanceof ApiError)) log(error, request);
    response.status(status).json(body);
  };
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
    .json(errorBody('NOT_FOUND', `no route for ${request.method} ${request.path}`));
};
