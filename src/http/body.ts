// Request bodies: JSON only, size-limited, parsed, then validated by a zod schema that names the bad field.
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { formatIssues } from '../config/issues.js';
import { HttpError } from './reply.js';

export const MAX_BODY = 8 * 1024;

const tooLarge = (limit: number) => new HttpError(413, `request body is larger than ${limit} bytes`, { connection: 'close' });

/** Reads the whole body as text; 413 as soon as it passes `limit` bytes (announced or actual). */
export async function readBody(req: IncomingMessage, limit = MAX_BODY): Promise<string> {
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON body against `schema`: 415 for another media type, 400 for bad JSON or a bad field. */
export async function jsonBody<S extends z.ZodType>(req: IncomingMessage, schema: S, limit = MAX_BODY): Promise<z.infer<S>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, `expected Content-Type: application/json, got ${type ? `"${type}"` : 'none'}`);
  const text = await readBody(req, limit);
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `malformed JSON body: ${(err as Error).message}`);
  }
  return validate(schema, input);
}

/** Validates parsed input (a body or a query): 400 naming each bad field, what was expected and what came. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new HttpError(400, formatIssues(result.error.issues, input));
  return result.data;
}
