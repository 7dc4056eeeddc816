/** A server-sent events client for tests: fetch, a parser for `event:`/`data:` blocks, and waits with a bound. */

export interface ServerSentEvent {
  event: string;
  data: any;
}

export class SseClient {
  readonly events: ServerSentEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private ended = false;

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly abort: AbortController,
  ) {}

  /** Opens the stream; a non-200 answer is returned with its problem body and no stream. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<{ client?: SseClient; status: number; headers: Headers; body?: any }> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    if (response.status !== 200 || !response.body) return { status: response.status, headers: response.headers, body: await response.json().catch(() => undefined) };
    const client = new SseClient(response.status, response.headers, abort);
    void client.read(response.body);
    return { client, status: response.status, headers: response.headers };
  }

  /** Resolves with the first event named `event` (and matching `predicate`) once it has arrived; rejects after `timeoutMs` naming what did arrive. */
  async waitFor(event: string, predicate: (data: any) => boolean = () => true, timeoutMs = 10_000): Promise<ServerSentEvent> {
    const find = () => this.events.find((candidate) => candidate.event === event && predicate(candidate.data));
    const found = find();
    if (found) return found;
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = find();
        if (!match) return;
        cleanUp();
        resolve(match);
      };
      const timer = setTimeout(() => {
        cleanUp();
        reject(new Error(`Expected a "${event}" event within ${timeoutMs} ms, but received ${JSON.stringify(this.events.map((e) => [e.event, e.data?.type ?? e.data?.status]))}`));
      }, timeoutMs);
      const cleanUp = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          this.parse(buffer.slice(0, boundary));
          buffer = buffer.slice(boundary + 2);
        }
      }
    } catch {
      // Aborted by close().
    } finally {
      this.ended = true;
    }
  }

  private parse(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length === 0) return;
    this.events.push({ event, data: JSON.parse(data.join('\n')) });
    this.waiters.forEach((check) => check());
  }
}
