/**
 * Two weeks pass in a moment: mid-stream the engine's clock jumps forward by P14D through Zeebe's
 * clock actuator. Every due timer fires at once: the `serviceTimeout` of every order waiting for a
 * service (the command is sent again, and must be handled once), and the two-week card-update wait of
 * every order waiting for a new card (it is cancelled, nothing charged). Buffered messages and
 * activated jobs expire too.
 */
import { OrderPath } from '../order-stream.js';
import type { Fault, FaultContext } from './fault.js';

const TWO_WEEKS_MS = 14 * 24 * 60 * 60_000;

export function clockJump(): Fault {
  let jumps = 0;
  return {
    injected: () => jumps,
    async start({ engine }: FaultContext) {
      await engine.addToClock(TWO_WEEKS_MS);
      jumps += 1;
    },
    async end() {},
    // An order waiting for its new card when the two weeks pass is cancelled before its customer updates it.
    expectations: () => ({ outcomeOverrides: { [OrderPath.EXPIRED_CARD_UPDATED]: { statuses: ['COMPLETED', 'CANCELLED'], cancellationReasons: ['card-not-updated'] } } }),
  };
}
