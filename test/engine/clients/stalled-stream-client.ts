/**
 * A job worker process that opens a job stream and then stops reading altogether, as a worker
 * whose event loop is stuck does: `tsx stalled-stream-client.ts <grpcAddress> <jobType>`. Prints
 * `STALLED` once the first job has arrived and its event loop is blocked.
 */
import * as grpc from '@grpc/grpc-js';
import { loadGatewayService } from '../../../infra/engine/gateway/proto.js';

const [address, type] = process.argv.slice(2);
const Gateway = grpc.makeGenericClientConstructor(loadGatewayService(), 'Gateway');
const client = new Gateway(address!, grpc.credentials.createInsecure());
const streamJobs = (client as unknown as Record<string, (request: object) => grpc.ClientReadableStream<unknown>>).StreamActivatedJobs!.bind(client);
const stream = streamJobs({ type, worker: 'stalled', timeout: 60_000, fetchVariable: [], tenantIds: [] });
stream.once('data', () => {
  process.stdout.write('STALLED\n', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000));
});
