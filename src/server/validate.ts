import type { z } from 'zod';
import { AppError } from '../core/errors.js';

/** Parses untrusted input; a failure names each offending field and says what is expected. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
    return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message;
  });
  const fields = [...new Set(result.error.issues.map((i) => i.path.join('.')).filter(Boolean))];
  throw new AppError('VALIDATION_ERROR', problems.join('; '), fields.length ? { fields } : undefined);
}
