// A child process that uses a set amount of its own CPU, however loaded the machine is, and is waited for.
import { execOrThrow } from '../core/exec.js';

export async function spendCpuInChild(ms: number): Promise<void> {
  await execOrThrow(process.execPath, ['-e', `while (process.cpuUsage().user + process.cpuUsage().system < ${ms * 1000});`]);
}
