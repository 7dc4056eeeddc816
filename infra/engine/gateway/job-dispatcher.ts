/**
 * Hands activatable jobs to the workers waiting for them: long-polling `ActivateJobs` calls and
 * open `StreamActivatedJobs` streams. As in Zeebe, jobs are pushed to open streams first (round
 * robin over the streams of a type); what streams leave is answered to long polls in arrival order.
 *
 * A job that becomes activatable while a stream of its type is open is pushed as Zeebe pushes it:
 * the engine runs the streams' activation (`activationsFor`) in the batch that made the job
 * activatable and hands its jobs over once that batch committed. What that leaves, and jobs that
 * were waiting before a stream opened, go through passes triggered by the engine's
 * `onJobsAvailable`; the passes of one job type run one at a time, so a notification during a pass
 * is never lost and never answered twice. A pass starts in the same tick as the notification, so
 * its activation joins the very next batch.
 */
import type { Logger } from 'pino';
import type { ActivatedJob, EngineApi, JobActivationRequest, JobPush, JobStreamer } from '../engine-api.js';

export type StreamActivation = Omit<JobActivationRequest, 'maxJobsToActivate'>;

/** Where a stream's jobs go; the gateway adapts it to a gRPC server stream. */
export interface JobStreamSink {
  /** False when the job could not be sent because the client has gone. */
  push(job: ActivatedJob): boolean;
  /**
   * False while the client has not read what was sent to it so far: no jobs are activated for the
   * stream then, so they wait in the engine for a worker that can take them (a poller, another
   * stream, or this one once it has caught up) instead of piling up in its buffers.
   */
  ready(): boolean;
  /** Called when the dispatcher shuts down while the stream is still open. */
  end(): void;
}

export interface JobStreamRegistration {
  close(): void;
  /** The client has caught up (its sink is ready again): jobs that waited meanwhile are pushed. */
  resume(): void;
}

export interface PollOptions {
  /** How long to wait for jobs when none are activatable; negative: answer at once. */
  longPollMs: number;
  /** Aborted when the client cancels the call. */
  signal: AbortSignal;
}

/**
 * Jobs activated per open stream in one engine command. A stream has no credit limit (Zeebe pushes
 * every job as it is created) beyond its client's reading (`JobStreamSink.ready`), so this bounds
 * one command's size and what a stream is handed before its readiness is asked again; a backlog
 * larger than this takes another pass.
 */
const STREAM_BATCH_PER_STREAM = 128;

interface OpenStream {
  activation: StreamActivation;
  sink: JobStreamSink;
  closed: boolean;
  /** Takes the stream out of its queue; what is activated for it afterwards is yielded. */
  close(): void;
}

interface PendingPoll {
  activation: JobActivationRequest;
  signal: AbortSignal;
  timer: NodeJS.Timeout | undefined;
  expired: boolean;
  inFlight: boolean;
  resolve(jobs: ActivatedJob[]): void;
  reject(error: unknown): void;
}

interface JobTypeQueue {
  readonly type: string;
  readonly streams: OpenStream[];
  readonly polls: PendingPoll[];
  cursor: number;
  running: boolean;
  dirty: boolean;
}

type DispatcherEngine = Pick<EngineApi, 'activateJobs' | 'yieldJob' | 'onJobsAvailable' | 'addJobStreamer'>;

export class JobDispatcher implements JobStreamer {
  private readonly queues = new Map<string, JobTypeQueue>();
  private readonly unsubscribe: () => void;
  private readonly removeStreamer: () => void;
  private closed = false;

  constructor(
    private readonly engine: DispatcherEngine,
    private readonly logger: Logger,
  ) {
    this.unsubscribe = engine.onJobsAvailable((type) => this.schedule(type));
    this.removeStreamer = engine.addJobStreamer(this);
  }

  /** The activations of the streams open for a job type, for the engine to run in its current batch. */
  activationsFor(jobType: string): JobPush[] {
    const queue = this.queues.get(jobType);
    if (!queue || queue.streams.length === 0 || this.closed) return [];
    return groupByActivation(readyStreams(queue)).map((streams) => this.pushFor(streams));
  }

  /**
   * Activates jobs for one `ActivateJobs` call; when none are activatable, waits until some become
   * activatable or `longPollMs` elapses (Zeebe's long polling). Resolves empty when cancelled.
   * @throws whatever the engine rejects the activation with.
   */
  async poll(activation: JobActivationRequest, options: PollOptions): Promise<ActivatedJob[]> {
    if (options.longPollMs < 0) return this.activateFor(activation, options.signal);
    return new Promise<ActivatedJob[]>((resolve, reject) => {
      const poll: PendingPoll = {
        activation,
        signal: options.signal,
        timer: undefined,
        expired: false,
        inFlight: false,
        resolve,
        reject,
      };
      poll.timer = setTimeout(() => this.expire(poll), options.longPollMs);
      options.signal.addEventListener('abort', () => this.expire(poll), { once: true });
      this.queueFor(activation.type).polls.push(poll);
      this.schedule(activation.type);
    });
  }

  /** Registers a job stream; jobs of its type are pushed to it until it is closed. */
  openStream(activation: StreamActivation, sink: JobStreamSink): JobStreamRegistration {
    const queue = this.queueFor(activation.type);
    const stream: OpenStream = {
      activation, sink, closed: false,
      close: () => {
        stream.closed = true;
        remove(queue.streams, stream);
        this.dropIfIdle(queue);
      },
    };
    queue.streams.push(stream);
    this.schedule(activation.type);
    return { close: stream.close, resume: () => this.schedule(activation.type) };
  }

  /** Answers pending polls with no jobs and ends open streams, so the server can shut down. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    this.removeStreamer();
    for (const queue of this.queues.values()) {
      for (const poll of [...queue.polls]) this.finish(queue, poll, []);
      for (const stream of queue.streams.splice(0)) {
        stream.closed = true;
        stream.sink.end();
      }
    }
    this.queues.clear();
  }

  private queueFor(type: string): JobTypeQueue {
    let queue = this.queues.get(type);
    if (!queue) {
      queue = { type, streams: [], polls: [], cursor: 0, running: false, dirty: false };
      this.queues.set(type, queue);
    }
    return queue;
  }

  private dropIfIdle(queue: JobTypeQueue): void {
    if (!queue.running && queue.streams.length === 0 && queue.polls.length === 0) {
      this.queues.delete(queue.type);
    }
  }

  private schedule(type: string): void {
    const queue = this.queues.get(type);
    if (!queue || this.closed) return;
    if (queue.running) {
      queue.dirty = true;
      return;
    }
    queue.running = true;
    queue.dirty = true;
    void this.drain(queue);
  }

  /**
   * Runs until no notification arrived during the last pass. `running` is cleared in the same
   * synchronous step as the last check, so no notification falls between them. Notifications of
   * one engine batch arrive once per job type, so starting at once costs no extra activations.
   */
  private async drain(queue: JobTypeQueue): Promise<void> {
    try {
      while (queue.dirty && !this.closed) {
        queue.dirty = false;
        await this.pushToStreams(queue);
        await this.answerPolls(queue);
      }
    } catch (error) {
      this.logger.error({ err: error, jobType: queue.type }, 'job dispatch failed');
    } finally {
      queue.running = false;
      this.dropIfIdle(queue);
    }
  }

  /**
   * Streams that ask for the same activation (worker, timeout, variables) share one engine command
   * sized for all of them, its jobs dealt round robin; streams that differ get a command each, all
   * in the same engine batch. Repeats while some command came back full, i.e. a backlog is left.
   */
  private async pushToStreams(queue: JobTypeQueue): Promise<void> {
    while (queue.streams.length > 0 && !this.closed) {
      const groups = groupByActivation(readyStreams(queue));
      if (groups.length === 0) return;
      const full = await Promise.all(groups.map((streams) => this.pushToGroup(streams)));
      if (!full.includes(true)) return;
    }
  }

  /** Activates and delivers one command's jobs; true when it came back full. */
  private async pushToGroup(streams: OpenStream[]): Promise<boolean> {
    const push = this.pushFor(streams);
    let jobs: ActivatedJob[];
    try {
      jobs = await this.engine.activateJobs(push.request);
    } catch (error) {
      this.logger.warn({ err: error, jobType: push.request.type }, 'job stream activation failed');
      return false;
    }
    push.deliver(jobs);
    return jobs.length === push.request.maxJobsToActivate;
  }

  /** One activation for streams that ask for the same thing, its jobs dealt round robin. */
  private pushFor(streams: OpenStream[]): JobPush {
    return {
      request: { ...streams[0]!.activation, maxJobsToActivate: STREAM_BATCH_PER_STREAM * streams.length },
      deliver: (jobs) => jobs.forEach((job, i) => this.deliver(streams[i % streams.length]!, job)),
    };
  }

  /**
   * A sink that refuses a job has lost its client: the stream is closed at once, so the yielded job
   * goes to another worker instead of being pushed back to the same dead stream.
   */
  private deliver(stream: OpenStream, job: ActivatedJob): void {
    if (!stream.closed && stream.sink.push(job)) return;
    if (!stream.closed) stream.close();
    this.yieldJob(job, 'the job stream was closed');
  }

  /** Oldest poll first; stops at the first poll that gets nothing, since the rest would too. */
  private async answerPolls(queue: JobTypeQueue): Promise<void> {
    for (;;) {
      const poll = queue.polls[0];
      if (!poll || this.closed) return;
      poll.inFlight = true;
      let jobs: ActivatedJob[];
      try {
        jobs = await this.activateFor(poll.activation, poll.signal);
      } catch (error) {
        remove(queue.polls, poll);
        clearTimeout(poll.timer);
        poll.reject(error);
        continue;
      } finally {
        poll.inFlight = false;
      }
      if (jobs.length > 0 || poll.expired || poll.signal.aborted) this.finish(queue, poll, jobs);
      if (jobs.length === 0) return;
    }
  }

  /** A timed-out or cancelled poll is answered now, unless its activation is under way. */
  private expire(poll: PendingPoll): void {
    poll.expired = true;
    if (poll.inFlight) return;
    const queue = this.queues.get(poll.activation.type);
    if (queue && queue.polls.includes(poll)) this.finish(queue, poll, []);
  }

  private finish(queue: JobTypeQueue, poll: PendingPoll, jobs: ActivatedJob[]): void {
    remove(queue.polls, poll);
    clearTimeout(poll.timer);
    poll.resolve(jobs);
    this.dropIfIdle(queue);
  }

  /** Jobs activated for a caller that has gone away are handed back instead of waiting for their timeout. */
  private async activateFor(
    activation: JobActivationRequest,
    signal: AbortSignal,
  ): Promise<ActivatedJob[]> {
    const jobs = await this.engine.activateJobs(activation);
    if (!signal.aborted) return jobs;
    for (const job of jobs) this.yieldJob(job, 'the ActivateJobs call was cancelled');
    return [];
  }

  /** A job activated for a caller that has gone is yielded back, activatable again at once, as Zeebe's gateway does. */
  private yieldJob(job: ActivatedJob, reason: string): void {
    this.logger.debug({ jobKey: job.key, jobType: job.type, worker: job.worker, reason }, 'undelivered job yielded');
    this.engine
      .yieldJob(job.key)
      .catch((error: unknown) =>
        this.logger.warn({ err: error, jobKey: job.key }, 'could not yield undelivered job'),
      );
  }
}

function remove<T>(items: T[], item: T): void {
  const index = items.indexOf(item);
  if (index >= 0) items.splice(index, 1);
}

/** The streams whose clients take jobs now, in round-robin order from the queue's cursor. */
function readyStreams(queue: JobTypeQueue): OpenStream[] {
  return rotate(queue.streams, queue.cursor++).filter((stream) => stream.sink.ready());
}

function rotate<T>(items: readonly T[], offset: number): T[] {
  const start = offset % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

/** Streams in order, grouped by what their activation asks for beyond the job type. */
function groupByActivation(streams: OpenStream[]): OpenStream[][] {
  const groups = new Map<string, OpenStream[]>();
  for (const stream of streams) {
    const { worker, timeoutMs, fetchVariables } = stream.activation;
    const key = JSON.stringify([worker, timeoutMs, fetchVariables ?? null]);
    const group = groups.get(key);
    if (group) group.push(stream);
    else groups.set(key, [stream]);
  }
  return [...groups.values()];
}
