/**
 * Cron cycles as Zeebe reads them: the examples of Spring's CronExpression documentation and the
 * cases of Zeebe's CronTimerTest, each the first time after an instant (2026-01-01 is a Thursday).
 */
import { describe, expect, it } from 'vitest';
import { nextCronTime } from '../../../infra/engine/feel/cron-cycle.js';

const utc = (text: string) => Date.parse(`${text}Z`);

describe('cron cycles', () => {
  it.each([
    { cron: '0 0 * * * *', after: '2026-01-01T00:00:00', next: '2026-01-01T01:00:00' },
    { cron: '*/10 * * * * *', after: '2026-01-01T00:00:00', next: '2026-01-01T00:00:10' },
    { cron: '* * * * * *', after: '2026-01-01T00:00:00.500', next: '2026-01-01T00:00:01' },
    { cron: '0 0 8-10 * * *', after: '2026-01-01T00:00:00', next: '2026-01-01T08:00:00' },
    { cron: '0 0 6,19 * * *', after: '2026-01-01T07:00:00', next: '2026-01-01T19:00:00' },
    { cron: '0 0/30 8-10 * * *', after: '2026-01-01T08:00:00', next: '2026-01-01T08:30:00' },
    { cron: '0 0 9-17 * * MON-FRI', after: '2026-01-02T17:00:00', next: '2026-01-05T09:00:00' },
    { cron: '0 0 0 25 12 ?', after: '2026-01-01T00:00:00', next: '2026-12-25T00:00:00' },
    { cron: '0 0 0 L * *', after: '2026-01-01T00:00:00', next: '2026-01-31T00:00:00' },
    { cron: '0 0 0 L-3 * *', after: '2022-01-28T00:00:00', next: '2022-02-25T00:00:00' },
    { cron: '0 0 * L-1 * *', after: '2022-01-30T01:00:00', next: '2022-01-30T02:00:00' },
    { cron: '0 0 0 1W * *', after: '2026-01-01T00:00:00', next: '2026-02-02T00:00:00' },
    { cron: '0 0 0 LW * *', after: '2026-01-01T00:00:00', next: '2026-01-30T00:00:00' },
    { cron: '0 0 0 * * 5L', after: '2026-01-01T00:00:00', next: '2026-01-30T00:00:00' },
    { cron: '0 0 0 * * THUL', after: '2026-01-01T00:00:00', next: '2026-01-29T00:00:00' },
    { cron: '0 0 0 ? * 5#2', after: '2026-01-01T00:00:00', next: '2026-01-09T00:00:00' },
    { cron: '0 0 0 ? * MON#1', after: '2026-01-01T00:00:00', next: '2026-01-05T00:00:00' },
    { cron: '0 0 0 13 * FRI', after: '2026-01-01T00:00:00', next: '2026-02-13T00:00:00' },
    { cron: '0 0 0 * * 7', after: '2026-01-01T00:00:00', next: '2026-01-04T00:00:00' },
    { cron: '0 0 0 1 feb *', after: '2026-01-01T00:00:00', next: '2026-02-01T00:00:00' },
    { cron: '@yearly', after: '2026-01-01T00:00:00', next: '2027-01-01T00:00:00' },
    { cron: '@monthly', after: '2026-01-01T00:00:00', next: '2026-02-01T00:00:00' },
    { cron: '@weekly', after: '2026-01-01T00:00:00', next: '2026-01-04T00:00:00' },
    { cron: '@daily', after: '2026-01-01T00:00:00', next: '2026-01-02T00:00:00' },
    { cron: '@hourly', after: '2026-01-01T00:00:00', next: '2026-01-01T01:00:00' },
  ])('When the cycle is $cron, then the time after $after is $next', ({ cron, after, next }) => {
    expect(nextCronTime(cron, utc(after))).toEqual({ ok: true, value: utc(next) });
  });

  it('When the expression matches no day (31 June), then it has no next time', () => {
    expect(nextCronTime('0 0 0 31 6 *', utc('2026-03-10T00:00:00'))).toEqual({ ok: true, value: undefined });
  });

  it.each([
    { cron: '', failure: 'Empty expression!' },
    { cron: '*', failure: 'Cron expression contains 1 parts but we expect one of [6]' },
    { cron: '0 9 * * MON-FRI', failure: 'Cron expression contains 5 parts but we expect one of [6]' },
    { cron: '* * * * * * *', failure: 'Cron expression contains 7 parts but we expect one of [6]' },
    { cron: '@reboot', failure: 'Cron expression contains 1 parts but we expect one of [6]' },
    { cron: '60 * * * * *', failure: 'Failed to parse cron expression. Value 60 not in range [0, 59]' },
    { cron: '* * 24 * * *', failure: 'Failed to parse cron expression. Value 24 not in range [0, 23]' },
    { cron: '* * * 0 * *', failure: 'Failed to parse cron expression. Value 0 not in range [1, 31]' },
    { cron: '* * * * 1-13 *', failure: 'Failed to parse cron expression. Value 13 not in range [1, 12]' },
    { cron: '* * * * * 8', failure: 'Failed to parse cron expression. Value 8 not in range [0, 7]' },
    { cron: '20-10 * * * * *', failure: /^Failed to parse cron expression\. / },
    { cron: '* * * * * *SUN', failure: /^Failed to parse cron expression\. / },
    { cron: '0 0 0 L-3 * MON', failure: /^Failed to parse cron expression\. / },
  ])('When the cycle is "$cron", then it is refused', ({ cron, failure }) => {
    const expected = typeof failure === 'string' ? failure : expect.stringMatching(failure);
    expect(nextCronTime(cron, utc('2026-01-01T00:00:00'))).toEqual({ ok: false, failure: expected });
  });
});
