// The effective config written back as a config file would say it: durations as "10m", not milliseconds.
import type { z } from 'zod';
import { durationSchemas, formatDuration } from './duration.js';
import { configSchema, type Config } from './schema.js';

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Strips the wrappers that do not change a value's form (default, prefault, optional, nullable). */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let def = defOf(s); ['default', 'prefault', 'optional', 'nullable'].includes(def.type) && def.innerType; def = defOf(s)) {
    s = def.innerType;
  }
  return s;
}

function printValue(schema: z.ZodType, value: unknown): unknown {
  const s = unwrap(schema);
  if (durationSchemas.has(s) && typeof value === 'number') return formatDuration(value);
  const def = defOf(s);
  if (def.type === 'object' && def.shape && value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = def.shape[key] ? printValue(def.shape[key], v) : v;
    return out;
  }
  if (def.type === 'array' && def.element && Array.isArray(value)) return value.map((v) => printValue(def.element as z.ZodType, v));
  return value;
}

/** The config as plain data a config file could hold: parsing it again gives the same config. */
export function printableConfig(config: Config): Record<string, unknown> {
  return printValue(configSchema, config) as Record<string, unknown>;
}
