import { processLogger } from '../../lib/process/process-logger.js';
import { runServiceProcess } from '../../lib/process/run-service.js';
import { loadOpsConfig } from './ops-config.js';
import { startOpsService } from './ops-service.js';

/** `tsx services/ops/main.ts`: serves the ops page in front of the orchestration cluster REST API until SIGINT/SIGTERM. */
async function main() {
  const config = loadOpsConfig();
  const logger = processLogger({ name: 'ops', level: config.logLevel });
  const service = await startOpsService({ ...config, logger });
  logger.info({ url: service.url, apiUrl: config.apiUrl }, 'Ops page listening');
  return { service, logger };
}

runServiceProcess({ displayName: 'Ops page', start: main });
