/**
 * A plaintext HTTP/2 proxy in front of the gateway that records each gRPC request's path and
 * `grpc-encoding` header as they travel on the wire. grpc-js strips that header before server
 * interceptors or handlers see it, so the wire is where a test can tell whether a client compressed.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  /** e.g. `/gateway_protocol.Gateway/Topology`. */
  path: string;
  /** `identity` when the request carried no `grpc-encoding` header. */
  encoding: string;
}

export interface GrpcWireRecorder {
  /** `127.0.0.1:port` for clients to connect to instead of the gateway. */
  readonly address: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts the proxy on a free loopback port, forwarding every stream to `target` (`host:port`). */
export async function startGrpcWireRecorder(target: string): Promise<GrpcWireRecorder> {
  const upstream = http2.connect(`http://${target}`);
  const requests: RecordedRequest[] = [];
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const encoding = headers['grpc-encoding'];
    requests.push({ path: String(headers[':path']), encoding: typeof encoding === 'string' ? encoding : 'identity' });
    forward(stream, headers, upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        upstream.close();
        server.close(() => resolve());
      }),
  };
}

function forward(
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  upstream: http2.ClientHttp2Session,
): void {
  const outgoing = upstream.request(stringHeaders(headers));
  let trailers: http2.OutgoingHttpHeaders = {};
  outgoing.on('response', (responseHeaders) => {
    // A trailers-only response (an error status) ends the stream with its headers.
    const trailersOnly = 'grpc-status' in responseHeaders;
    stream.respond(stringHeaders(responseHeaders), trailersOnly ? { endStream: true } : { waitForTrailers: true });
  });
  outgoing.on('trailers', (received) => (trailers = stringHeaders(received)));
  stream.on('wantTrailers', () => stream.sendTrailers(trailers));
  stream.pipe(outgoing);
  outgoing.on('data', (chunk: Buffer) => stream.write(chunk));
  outgoing.on('end', () => {
    if (!stream.headersSent || stream.writableEnded) return;
    stream.end();
  });
  stream.on('close', () => outgoing.close());
  outgoing.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
}

/** The named headers only: Node adds a symbol key (sensitive headers) that must not be forwarded. */
function stringHeaders(headers: http2.IncomingHttpHeaders): http2.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers));
}
