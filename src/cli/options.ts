// Parsers for CLI option values; each rejects bad input with a SynguardError naming the flag.
import { SynguardError } from '../core/errors.js';

export function seconds(flag: string, max = 86_400) {
  return (text: string): number => {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v) || v < 0 || v > max) {
      throw new SynguardError('usage', `${flag} takes a number of seconds from 0 to ${max}, got "${text}"`);
    }
    return v;
  };
}

export function positiveInt(flag: string, max = 1_000_000) {
  return (text: string): number => {
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) {
      throw new SynguardError('usage', `${flag} takes a whole number from 1 to ${max}, got "${text}"`);
    }
    return Number(text);
  };
}
