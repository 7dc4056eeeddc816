/** The engine core's only source of time; adapters pass one in so tests and ops can move it. */
export interface Clock {
  now(): number;
}

/**
 * A clock that follows a time source until pinned or offset, like Zeebe's controlled actuator clock
 * (`ZEEBE_CLOCK_CONTROLLED=true`): pin freezes it, add moves it, reset returns to the source.
 */
export class ControllableClock implements Clock {
  private pinnedAt: number | undefined;
  private offset = 0;

  constructor(private readonly source: () => number) {}

  now(): number {
    return this.pinnedAt ?? this.source() + this.offset;
  }

  pin(epochMilli: number): void {
    this.pinnedAt = epochMilli;
  }

  add(offsetMilli: number): void {
    if (this.pinnedAt !== undefined) this.pinnedAt += offsetMilli;
    else this.offset += offsetMilli;
  }

  reset(): void {
    this.pinnedAt = undefined;
    this.offset = 0;
  }

  get isPinned(): boolean {
    return this.pinnedAt !== undefined;
  }
}
