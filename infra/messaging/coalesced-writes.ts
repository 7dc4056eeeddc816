/**
 * amqplib writes every frame to its socket on its own (a publish, each ack, each channel's method),
 * and with TCP_NODELAY each write is a syscall and a segment of its own that RabbitMQ reads
 * separately. Corking the socket for the rest of the event-loop turn sends what that turn wrote in
 * one writev: the coalescing Nagle's algorithm gave, without its wait for the peer's delayed ACK.
 */
import type { Socket } from 'node:net';

export function coalesceWritesPerTurn(socket: Socket): void {
  const write = socket.write;
  let corked = false;
  socket.write = function coalescedWrite(this: Socket, ...args: Parameters<Socket['write']>): boolean {
    if (!corked) {
      corked = true;
      this.cork();
      process.nextTick(() => {
        corked = false;
        this.uncork();
      });
    }
    return write.apply(this, args);
  } as Socket['write'];
}
