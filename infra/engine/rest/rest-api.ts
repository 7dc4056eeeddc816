/**
 * The REST API as the engine server runs it: the search projection beside the engine, and the
 * HTTP server in front of both. Closing stops the server first, then writes what the projection
 * still holds.
 */
import type { EmbeddedEngine } from '../embedded-engine.js';
import { SearchProjection } from '../search/search-projection.js';
import { startRestServer, type RestServerOptions } from './rest-server.js';

export interface RestApiOptions extends Omit<RestServerOptions, 'engine' | 'search'> {
  engine: EmbeddedEngine;
  /** The engine's data directory; the projection keeps `search.sqlite` there (in memory when undefined). */
  dataDir: string | undefined;
}

export interface RestApi {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Opens the projection (catching up with the record log) and starts serving.
 * @throws when the projection's store cannot be opened or the port cannot be bound.
 */
export async function startRestApi(options: RestApiOptions): Promise<RestApi> {
  const projection = new SearchProjection({ engine: options.engine, dataDir: options.dataDir, logger: options.logger });
  try {
    const server = await startRestServer({ ...options, search: projection.db });
    return {
      port: server.port,
      close: async () => {
        await server.close();
        await projection.close();
      },
    };
  } catch (error) {
    await projection.close();
    throw error;
  }
}
