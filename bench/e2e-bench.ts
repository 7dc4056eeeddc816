/**
 * `npm run bench`: the whole system end to end, as separate processes on this machine. Places orders
 * over HTTP and reports orders completed per second, place-to-completed latency and where the CPU
 * went (happy path), or the memory of orders parked for two weeks and how fast they are cancelled
 * once the engine's clock moves (parked). Writes bench/results/e2e.json (and e2e-latency.svg) or
 * bench/results/e2e-parked.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseBenchOptions, Scenario, type BenchOptions } from './e2e/bench-options.js';
import { runHappyPath, type HappyPathResult } from './e2e/happy-path-scenario.js';
import { latencyChartSvg } from './e2e/latency-chart.js';
import { runParked, type ParkedResult } from './e2e/parked-scenario.js';
import { usageTable } from './e2e/usage-report.js';
import { describeMachineSpeed, measureMachineSpeed, type MachineSpeed } from './machine/machine-speed.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  await mkdir(options.outputDirectory, { recursive: true });
  const speed = await measureMachineSpeed();
  say(describeMachineSpeed(speed));
  if (options.scenario === Scenario.HAPPY) await reportHappyPath(options, await runHappyPath(options), speed);
  else await reportParked(options, await runParked(options), speed);
}

async function reportHappyPath(options: BenchOptions, result: HappyPathResult, machineSpeed: MachineSpeed): Promise<void> {
  const jsonFile = path.join(options.outputDirectory, 'e2e.json');
  const chartFile = path.join(options.outputDirectory, 'e2e-latency.svg');
  const title = `Orderflow end to end: ${result.completed} orders, ${result.concurrency} in flight, ${result.ordersPerSecond} completed/s`;
  await writeFile(jsonFile, `${JSON.stringify({ ...result, machineSpeed, measuredAt: new Date().toISOString() }, null, 2)}\n`);
  await writeFile(chartFile, latencyChartSvg(result.perSecond, title));
  const pace = result.ratePerSecond ? `sent at ${result.ratePerSecond}/s, at most ${result.concurrency} in flight` : `${result.concurrency} in flight`;
  say(`\nHappy path: ${result.completed}/${result.orders} orders completed in ${result.durationSeconds} s (${pace}${result.warmupOrders ? `, after ${result.warmupOrders} warm-up orders in no figure` : ''})`);
  say(`  ${result.ordersPerSecond} orders completed/s; POST /orders sustained ${result.placedPerSecond}/s (${result.placeRetries} retried after a 5xx or 429)`);
  say(`  place → completed: p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, p99 ${result.latencyMs.p99} ms, max ${result.latencyMs.max} ms`);
  for (const line of usageTable(result.usage)) say(line);
  say(idleLine(result.idleCpuPerSecond));
  say(`  load average before ${result.loadAverage.before.join(' ')}, after ${result.loadAverage.after.join(' ')}`);
  say(`Wrote ${path.relative(process.cwd(), jsonFile)} and ${path.relative(process.cwd(), chartFile)}`);
  if (result.completed < result.orders) {
    say(`✗ ${result.orders - result.completed} orders did not complete (see the logs in ${result.runDirectory}/logs)`);
    process.exitCode = 1;
  }
}

async function reportParked(options: BenchOptions, result: ParkedResult, machineSpeed: MachineSpeed): Promise<void> {
  const jsonFile = path.join(options.outputDirectory, 'e2e-parked.json');
  await writeFile(jsonFile, `${JSON.stringify({ ...result, machineSpeed, measuredAt: new Date().toISOString() }, null, 2)}\n`);
  const w = result.waiting;
  say(`\nParked: ${result.orders} orders waiting for a card update after ${result.parkedSeconds} s (${result.placeRetries} POST /orders retried after a 5xx or 429)`);
  const byProcess = (memory: ParkedResult['justParked']) => Object.entries(memory.rssBytesByProcess).map(([name, bytes]) => `${name} ${mib(bytes)}`).join(', ');
  say(`  RSS as the last one parked: ${mib(result.justParked.systemRssBytes)} for engine, services and workers (${byProcess(result.justParked)})`);
  say(`  RSS after ${w.waitedSeconds} s of waiting: ${mib(w.systemRssBytes)} (${byProcess(w)})`);
  say(`  idle before the orders: ${mib(result.idle.systemRssBytes)}; ${(result.rssBytesPerParkedOrder / 1024).toFixed(1)} KiB more per parked order`);
  say(`  benchmark ${mib(w.benchRssBytes)}; PostgreSQL ${mib(w.postgresqlBytes)} and RabbitMQ ${mib(w.rabbitmqBytes)} (Pss, whole servers)`);
  say(`  engine data on disk: ${mib(w.engineDataBytes)} (${mib(result.idle.engineDataBytes)} before the orders; ${(w.engineDataBytesPerOrder / 1024).toFixed(1)} KiB per order overall)`);
  say(`  clock moved two weeks: ${result.cancelled}/${result.orders} cancelled within ${result.cancelledWithinSeconds} s`);
  for (const line of usageTable(result.usage)) say(line);
  say(idleLine(result.idleCpuPerSecond));
  say(`  load average before ${result.loadAverage.before.join(' ')}, after ${result.loadAverage.after.join(' ')}`);
  say(`Wrote ${path.relative(process.cwd(), jsonFile)}`);
}

function idleLine(idle: Record<string, number>): string {
  const entries = Object.entries(idle);
  if (entries.length === 0) return '  idle CPU: not measured (--idle-seconds 0)';
  const total = entries.filter(([name]) => name !== 'bench').reduce((sum, [, perSecond]) => sum + perSecond, 0);
  return `  idle CPU before the load: ${total.toFixed(2)} cores (${entries.map(([name, perSecond]) => `${name} ${perSecond.toFixed(2)}`).join(', ')})`;
}

main().catch((error: unknown) => {
  process.stderr.write(`\n✗ npm run bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
