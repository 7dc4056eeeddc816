/**
 * The server side of the machine-speed check's gRPC echo, as a process of its own (client and
 * server on two cores, as the engine and its workers are). Prints `PORT <n>` once it serves.
 */
import { serveEcho } from './echo-service.js';

const { port } = await serveEcho();
process.stdout.write(`PORT ${port}\n`);
