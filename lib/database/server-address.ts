/** A host that names a directory is where the server's Unix socket lives, as for libpq. */
export function isSocketDirectory(host: string): boolean {
  return host.startsWith('/');
}

/** How logs and errors name the server: `127.0.0.1:5432`, or the socket file. */
export function describeServer(host: string, port: number): string {
  return isSocketDirectory(host) ? `${host}/.s.PGSQL.${port}` : `${host}:${port}`;
}
