#!/usr/bin/env node
// Entry point: builds the command tree, runs it, and is the only place that formats errors and exits.
import { main } from './program.js';

process.exitCode = await main(process.argv);
