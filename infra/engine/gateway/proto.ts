/**
 * Loads the `Gateway` service of Zeebe's gateway protocol from the `zeebe.proto` that
 * `@camunda8/sdk` ships, so the server and the clients we test against share one definition.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);

/** Absolute path of the `zeebe.proto` inside the installed `@camunda8/sdk`. */
export function zeebeProtoPath(): string {
  const sdkRoot = path.dirname(require.resolve('@camunda8/sdk/package.json'));
  return path.join(sdkRoot, 'dist', 'proto', 'zeebe.proto');
}

/**
 * The same loader options the SDK uses, so int64 keys travel as decimal strings and enums by name.
 * @throws when the proto file is missing or does not declare `gateway_protocol.Gateway`.
 */
export function loadGatewayService(): grpc.ServiceDefinition {
  const definition = protoLoader.loadSync(zeebeProtoPath(), {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const service = definition['gateway_protocol.Gateway'];
  if (!service || !isServiceDefinition(service)) {
    throw new Error(`Expected zeebe.proto to declare gateway_protocol.Gateway, but it does not`);
  }
  return service;
}

function isServiceDefinition(
  value: protoLoader.AnyDefinition,
): value is protoLoader.ServiceDefinition {
  return !('format' in value);
}
