// Which errors mean "the disk or the database failed" (as opposed to a bug): full, read-only, locked, corrupt, gone.
const FAULT = /^(SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CORRUPT|CANTOPEN|NOTADB|PROTOCOL|NOLFS)|ENOSPC|EROFS|EIO|EDQUOT|ENOENT)/;

/** True for SQLite's and the file system's failures of the store, looked for on the error and on its cause. */
export function isStoreFault(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && FAULT.test(code)) return true;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== err && isStoreFault(cause);
}
