/**
 * Tells clients which request compression the gateway wants. A grpc-js client keeps compressing
 * with its configured algorithm until a response's `grpc-accept-encoding` header leaves that
 * algorithm out; from then on its channel sends uncompressed. `@camunda8/sdk` gzips every message
 * by default, which on loopback only burns CPU on both sides, so by default the response headers
 * advertise `identity`. The server still decompresses any compressed request, as Zeebe's does.
 */
import * as grpc from '@grpc/grpc-js';
import { GrpcCompression } from '../config.js';

/** What each setting advertises; `gzip` keeps grpc-js's own default. */
const advertisedEncodings: Record<GrpcCompression, string> = {
  [GrpcCompression.IDENTITY]: 'identity',
  [GrpcCompression.GZIP]: 'identity,deflate,gzip',
};

/**
 * A server interceptor that sets `grpc-accept-encoding` on the response headers of every call.
 * A trailers-only response (a call failing before any message) carries no such headers: grpc-js
 * clients do not read compression settings from trailers, so there is nothing to add there.
 */
export function compressionAdvertisement(compression: GrpcCompression): grpc.ServerInterceptor {
  const encodings = advertisedEncodings[compression];
  // Stateless, so one responder serves every call.
  const responder: grpc.Responder = {
    sendMetadata(metadata, next) {
      metadata.set('grpc-accept-encoding', encodings);
      next(metadata);
    },
  };
  return (_method, call) => new grpc.ServerInterceptingCall(call, responder);
}
