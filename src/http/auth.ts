// Bearer-token check for mutating endpoints: 401 without a token, 403 with a wrong one, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './reply.js';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Throws unless the Authorization header carries `Bearer <token>`. */
export function requireToken(headers: IncomingHttpHeaders, token: string): void {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (!m?.[1]) {
    throw new HttpError(401, 'this endpoint needs "Authorization: Bearer <token>" (synguard token prints it)', { 'www-authenticate': 'Bearer' });
  }
  // Hashing first gives equal lengths, so timingSafeEqual reveals neither the token nor its length.
  if (token === '' || !timingSafeEqual(digest(m[1]), digest(token))) throw new HttpError(403, 'wrong API token');
}
