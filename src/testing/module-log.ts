// Test support, loaded with `node --import`: records every module the process resolves (ESM and CommonJS, synguard's
// and its packages') and writes their URLs, one per line, to $SYNGUARD_MODULE_LOG when the process exits.
import module from 'node:module';
import { writeFileSync } from 'node:fs';

const seen = new Set<string>();
module.registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    seen.add(resolved.url);
    return resolved;
  },
});
process.once('exit', () => {
  const file = process.env.SYNGUARD_MODULE_LOG;
  if (file) writeFileSync(file, [...seen].join('\n'));
});
