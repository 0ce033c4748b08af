import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, isAppError } from '../../core/errors.js';
import { restMessage } from '../next-steps.js';

export interface ErrorBody {
  ok: false;
  error: { code: string; message: string; fields?: string[] };
}

/** A request that failed its route's zod schema: name every field and say what it needs. */
function fromValidation(err: FastifyError): AppError | null {
  if (!hasZodFastifySchemaValidationErrors(err)) return null;
  const fields = new Set<string>();
  const problems = err.validation.map((v) => {
    const field = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
    if (v.keyword === 'unrecognized_keys') return `unknown field(s) ${((v.params as { keys?: string[] }).keys ?? []).join(', ')}`;
    if (field) fields.add(field);
    const message = v.message ?? 'is invalid';
    return field && !message.startsWith(field) ? `${field}: ${message}` : message;
  });
  return new AppError('VALIDATION_ERROR', problems.join('; '), fields.size ? { fields: [...fields] } : undefined);
}

/** Fastify's own request errors, in the product's words. */
function fromFastify(err: FastifyError): AppError | null {
  const invalid = fromValidation(err);
  if (invalid) return invalid;
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as JSON with "Content-Type: application/json".');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large (JSON bodies are limited to 1 MiB).');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('VALIDATION_ERROR', 'The body is empty but Content-Type says JSON: send a JSON object, or no Content-Type.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('VALIDATION_ERROR', 'Content-Length does not match the body.');
    default:
      if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        return new AppError('VALIDATION_ERROR', `The body is not valid JSON: ${err.message}`);
      }
      return null;
  }
}

export function errorBody(err: AppError): ErrorBody {
  const fields = err.details?.fields;
  return { ok: false, error: { code: err.code, message: restMessage(err), ...(Array.isArray(fields) ? { fields: fields as string[] } : {}) } };
}

/** One error handler: coded errors pass through, anything else becomes a 500 without internals. */
export const errorsPlugin = fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError, req, reply) => {
      const known = isAppError(err) ? err : fromFastify(err);
      if (known) {
        const retry = known.details?.retryAfterSeconds;
        if (typeof retry === 'number') reply.header('Retry-After', String(retry));
        if (known.status >= 500) req.log.warn({ code: known.code, msg: known.message }, 'request failed');
        return reply.code(known.status).send(errorBody(known));
      }
      if (isResponseSerializationError(err)) {
        req.log.error({ err, cause: err.cause }, 'response does not match its schema');
        return reply.code(500).send(errorBody(new AppError('INTERNAL', 'Internal error; the details are in the bridge\'s log.')));
      }
      if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
        return reply.code(err.statusCode).send({ ok: false, error: { code: 'BAD_REQUEST', message: err.message } });
      }
      req.log.error({ err }, 'unhandled error');
      return reply.code(500).send(errorBody(new AppError('INTERNAL', 'Internal error; the details are in the bridge\'s log.')));
    });
    app.setNotFoundHandler((req, reply) => {
      reply
        .code(404)
        .send(errorBody(new AppError('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}. The README lists the API routes.`)));
    });
  },
  { name: 'errors' },
);
