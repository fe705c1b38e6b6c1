// `synguard bouncers add|list|delete NAME`: keys of the CrowdSec bouncers served GET /v1/decisions/stream.
// Keys are stored hashed: `add` prints the key once. Heavy modules load inside the actions.
import type { Command } from 'commander';
import type { StateOptions } from './state-dir.js';
import { withState } from './fleet.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

async function fleetDb(opts: StateOptions) {
  const [{ loadConfig }, { openFleetDb }] = await Promise.all([import('../config/load.js'), import('../store/fleet-db.js')]);
  return openFleetDb(opts.stateDir ?? loadConfig(opts.config).defender.stateDir);
}

async function usage(message: string): Promise<never> {
  const { SynguardError } = await import('../core/errors.js');
  throw new SynguardError('usage', message);
}

export function registerBouncers(program: Command): void {
  const bouncers = program.command('bouncers')
    .description('manage the keys of CrowdSec bouncers that enforce synguard\'s bans (GET /v1/decisions/stream)')
    .addHelpText('after', `
Serving is off until the config says http: { bouncerStream: true } (docs/fleet.md). Then, on the bouncer's host:
  synguard bouncers add fw-b           # prints the key once (stored hashed)
  api_url: http://SYNGUARD:9717/  and  api_key: <that key>  in crowdsec-firewall-bouncer.yaml`);

  withState(bouncers.command('add').argument('<name>', 'a name for the bouncer (letters, digits, . _ -)'))
    .description('make a key for a bouncer and print it (only now: it is stored hashed)')
    .option('--key <key>', 'use this key instead of a random one (at least 16 characters)')
    .option('--json', 'print {name, key}')
    .action(async (name: string, opts: StateOptions & { key?: string; json?: boolean }) => {
      if (!NAME.test(name)) await usage(`bouncer name "${name}": expected letters, digits, ".", "_" or "-" (at most 64)`);
      if (opts.key !== undefined && !/^[\x21-\x7e]{16,256}$/.test(opts.key)) await usage('--key: expected 16 to 256 printable characters without spaces');
      const { randomBytes } = await import('node:crypto');
      const key = opts.key ?? randomBytes(24).toString('base64url');
      const db = await fleetDb(opts);
      try {
        if (!db.keys.add(name, key, Date.now())) await usage(`bouncer "${name}" (or that key) exists already: synguard bouncers delete ${name} first`);
      } finally {
        db.close();
      }
      process.stdout.write(opts.json ? `${JSON.stringify({ name, key })}\n` : `${key}\n`);
    });

  withState(bouncers.command('list'))
    .description('list the bouncers, with when each last pulled')
    .option('--json', 'print a JSON array')
    .action(async (opts: StateOptions & { json?: boolean }) => {
      const db = await fleetDb(opts);
      const rows = db.keys.list();
      db.close();
      const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows.map((b) => ({ name: b.name, createdAt: iso(b.createdAt), lastPull: iso(b.lastPull), lastId: b.lastId })))}\n`);
        return;
      }
      if (rows.length === 0) process.stdout.write('no bouncers (synguard bouncers add NAME)\n');
      for (const b of rows) process.stdout.write(`${b.name.padEnd(24)} created ${iso(b.createdAt)}  last pull ${iso(b.lastPull) ?? 'never'}\n`);
    });

  withState(bouncers.command('delete').argument('<name>', 'the bouncer to remove'))
    .description('delete a bouncer\'s key: its next pull gets 403')
    .action(async (name: string, opts: StateOptions) => {
      const db = await fleetDb(opts);
      const removed = db.keys.remove(name);
      db.close();
      if (!removed) await usage(`no bouncer named "${name}" (synguard bouncers list)`);
      process.stdout.write(`deleted bouncer ${name}\n`);
    });
}
