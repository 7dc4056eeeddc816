/** Makes the child of a counter, gauge or histogram for one or two label values (a one-label metric ignores the second). */
type ChildOf<T> = (first: string, second: string) => T;

/**
 * The engine asks for the same few series on every batch: each series' child (and its label
 * object) is made once and then found by two map lookups, not allocated again per record.
 */
export class LabelledSeries<T> {
  private readonly children = new Map<string, Map<string, T>>();

  constructor(private readonly childOf: ChildOf<T>) {}

  /** The series for one or two label values, in the metric's label order. */
  get(first: string, second = ''): T {
    let inner = this.children.get(first);
    if (!inner) this.children.set(first, (inner = new Map()));
    let child = inner.get(second);
    if (!child) inner.set(second, (child = this.childOf(first, second)));
    return child;
  }
}

/** Increments collected over a batch and applied once at its end. */
export class BatchTally<T extends { inc(value: number): void }> {
  private readonly pending = new Map<T, number>();

  add(series: T, value = 1): void {
    this.pending.set(series, (this.pending.get(series) ?? 0) + value);
  }

  apply(): void {
    for (const [series, value] of this.pending) if (value !== 0) series.inc(value);
    this.pending.clear();
  }
}
