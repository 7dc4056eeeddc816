/**
 * The scanner the card data scan relies on: it must find a card number however it is written and
 * wherever it hides, and must not mistake ids or known numbers for one.
 */
import { describe, expect, it } from 'vitest';
import { CardDataScanner, mask } from './card-data-scanner.js';

const CARD = '4242424242424242';
const scanner = new CardDataScanner({ sentNumbers: [CARD], sentCvcs: ['7391'], isKnownNumber: (digits) => digits === '2251799813685249' });
const findingsIn = (text: string) => scanner.scan({ source: 'test', text }).map((finding) => finding.kind);

describe('what the scanner finds', () => {
  it.each([
    { where: 'a JSON field', text: `{"pan":"${CARD}"}` },
    { where: 'a number grouped by spaces', text: 'card 4242 4242 4242 4242 on file' },
    { where: 'a number grouped by dashes', text: 'card 4242-4242-4242-4242' },
    { where: 'a grouped number followed by more digits', text: '4242 4242 4242 4242 12 34' },
    { where: 'a log line', text: `{"level":30,"msg":"Card tokenized","card":${CARD}}` },
  ])('When a sent card number is in $where, then it is found', ({ text }) => {
    expect(findingsIn(text)).toContain('sent card number');
  });

  it.each([
    { number: '4000000000000002', written: '4000000000000002' },
    { number: '378282246310005', written: '3782 822463 10005' },
    { number: '6011111111111117', written: 'x=6011-1111-1111-1117;' },
    { number: '4222222222222', written: '"4222222222222"' },
  ])('When a Luhn-valid number nobody sent ($written) is stored, then it is found', ({ written }) => {
    expect(findingsIn(written)).toContain('luhn-valid number');
  });

  it('When a sent card number is embedded in a longer string, then it is still found', () => {
    expect(findingsIn(`ref-x${CARD}y`)).toContain('sent card number');
  });

  it.each([
    { where: 'a JSON value', text: '{"code":"7391"}' },
    { where: 'a log message', text: 'security code 7391 accepted' },
  ])('When a sent CVC stands alone in $where, then it is found', ({ text }) => {
    expect(findingsIn(text)).toContain('sent CVC');
  });

  it.each(['{"cvc":"123"}', "cvv2: '000'", 'security_code=1'])('When a field is named like a CVC (%s), then it is found', (text) => {
    expect(findingsIn(text)).toContain('CVC field');
  });
});

describe('what the scanner leaves alone', () => {
  it.each([
    { what: 'a UUID whose groups are digits', text: 'order 12345678-1234-4234-8234-123456789012' },
    { what: 'a hex digest', text: `fingerprint ${'f34000000000000002c6011111111111117e'.padEnd(64, 'a')}` },
    { what: 'a known engine key', text: '{"processInstanceKey":"2251799813685249"}' },
    { what: 'a number failing the Luhn check', text: '4242424242424241' },
    { what: 'a CVC\'s digits inside a longer number or id', text: 'OFP07391AB 173912 tok_ab7391' },
    { what: 'twelve digits', text: '424242424242' },
  ])('When the text holds $what, then nothing is found', ({ text }) => {
    expect(findingsIn(text)).toEqual([]);
  });

  it('When a finding is reported, then the number is masked', () => {
    const [finding] = scanner.scan({ source: 'test', text: CARD });

    expect(finding!.masked).toBe('424242******4242');
    expect(mask('123')).toBe('***');
  });
});
