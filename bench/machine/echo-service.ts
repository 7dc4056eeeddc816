/** The gRPC echo service the machine-speed check times, loaded from bench/fixtures/echo.proto. */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { projectPath } from '../../lib/project/project-root.js';

export interface EchoMessage {
  text: string;
  number: number;
}

type EchoClient = grpc.Client & {
  echo(request: EchoMessage, callback: (error: grpc.ServiceError | null, response?: EchoMessage) => void): void;
};

interface EchoPackage {
  Echo: grpc.ServiceClientConstructor;
}

function echoPackage(): EchoPackage {
  const definition = protoLoader.loadSync(projectPath('bench', 'fixtures', 'echo.proto'));
  return (grpc.loadPackageDefinition(definition).orderflow as grpc.GrpcObject).bench as unknown as EchoPackage;
}

/** Serves the echo on a free loopback port and resolves with it. */
export function serveEcho(): Promise<{ port: number; server: grpc.Server }> {
  const server = new grpc.Server();
  server.addService(echoPackage().Echo.service, {
    echo: (call: grpc.ServerUnaryCall<EchoMessage, EchoMessage>, callback: grpc.sendUnaryData<EchoMessage>) => callback(null, call.request),
  });
  return new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve({ port, server })));
  });
}

export function echoClient(port: number): EchoClient {
  return new (echoPackage().Echo)(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as EchoClient;
}
