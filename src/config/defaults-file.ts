// The built-in defaults as JSON beside this module, written at build time (`npm run build` runs this file) from the
// schema itself, so a command on a host without a config file answers without loading zod and yaml (issue 11).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULTS_FILE = fileURLToPath(new URL('./defaults.json', import.meta.url));

/** Writes the defaults file from the schema (configFrom({})). */
export async function writeDefaults(file = DEFAULTS_FILE): Promise<void> {
  const { configFrom } = await import('./load.js');
  writeFileSync(file, `${JSON.stringify(configFrom({}))}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await writeDefaults();
