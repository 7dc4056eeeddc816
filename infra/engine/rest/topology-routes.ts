/** `GET /v2/topology`: the embedded engine as a cluster of one broker with one partition. */
import express from 'express';
import { ZEEBE_VERSION } from '../gateway/command-rpcs.js';
import type { RestContext } from './rest-context.js';

export function topologyRoutes(ctx: RestContext): express.Router {
  const router = express.Router();
  router.get('/topology', (_req, res) => {
    res.json({
      brokers: [{ nodeId: 0, host: ctx.host, port: ctx.grpcPort, version: ZEEBE_VERSION, partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }] }],
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: ZEEBE_VERSION,
      lastCompletedChangeId: '-1',
    });
  });
  return router;
}
