/**
 * Finds card data in text: Luhn-valid runs of 13–19 digits (also grouped by spaces or dashes), the
 * exact card numbers and CVCs a test sent, and fields named like a CVC. Ids that only look like
 * digits (UUIDs, hex digests) are skipped, and so are numbers the caller knows are not cards
 * (engine keys, timestamps). Findings are masked: a report never prints a full card number.
 */
import { passesLuhn } from '../../infra/messaging/index.js';

/** One piece of stored or sent data, named by where it came from. */
export interface ScanItem {
  /** e.g. `postgres:payment.cards.last4#3`, `rabbitmq:orderflow.events#12`, `log#40`. */
  source: string;
  text: string;
}

export interface Finding {
  source: string;
  kind: 'luhn-valid number' | 'sent card number' | 'sent CVC' | 'CVC field';
  /** The match with all but its first six and last four digits masked. */
  masked: string;
}

export interface ScannerOptions {
  /** Card numbers the run sent, digits only. */
  sentNumbers: readonly string[];
  /** CVCs the run sent. */
  sentCvcs: readonly string[];
  /** True for a digit string known not to be card data (an engine key, an epoch-millisecond timestamp). */
  isKnownNumber?: (digits: string) => boolean;
}

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** SHA-256 fingerprints, HMACs, checksums: long hex tokens whose digit stretches are not numbers. */
const hexDigest = /(?<![0-9a-z])[0-9a-f]{32,}(?![0-9a-z])/gi;
/** Digits grouped by single spaces or dashes, as a card is written ("4242 4242 4242 4242"). */
const digitRun = /\d(?:[ -]?\d)*/g;
const cvcField = /["'`]?\b(?:cvc2?|cvv2?|csc|security[_-]?code|card[_-]?code)\b["'`]?\s*[:=]/i;

export function mask(digits: string): string {
  return digits.length <= 10 ? '*'.repeat(digits.length) : `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

/**
 * Every contiguous sequence of the run's groups holding 13 to 19 digits: a card number written in
 * groups is found even when other digits follow it ("4242 4242 4242 4242 12 34").
 */
function candidates(run: string): string[] {
  const groups = run.split(/[ -]/);
  const found: string[] = [];
  for (let start = 0; start < groups.length; start++) {
    let digits = '';
    for (let end = start; end < groups.length && digits.length < 19; end++) {
      digits += groups[end];
      if (digits.length >= 13 && digits.length <= 19) found.push(digits);
    }
  }
  return found;
}

export class CardDataScanner {
  private readonly sentNumbers: readonly string[];
  private readonly cvcs: { cvc: string; pattern: RegExp }[];
  private readonly isKnownNumber: (digits: string) => boolean;

  constructor(options: ScannerOptions) {
    this.sentNumbers = options.sentNumbers;
    // Standing alone: a CVC's digits inside a longer number or an alphanumeric id are not a CVC.
    this.cvcs = options.sentCvcs.map((cvc) => ({ cvc, pattern: new RegExp(`(?<![0-9A-Za-z])${cvc}(?![0-9A-Za-z])`) }));
    this.isKnownNumber = options.isKnownNumber ?? (() => false);
  }

  /** The card data in one item; empty when there is none. */
  scan(item: ScanItem): Finding[] {
    const findings: Finding[] = [];
    const add = (kind: Finding['kind'], digits: string) => findings.push({ source: item.source, kind, masked: mask(digits) });
    const compact = item.text.replace(/[ -]/g, '');
    for (const number of this.sentNumbers) if (compact.includes(number)) add('sent card number', number);
    const text = item.text.replace(uuid, '#').replace(hexDigest, '#');
    for (const run of text.match(digitRun) ?? []) {
      for (const digits of candidates(run)) {
        if (passesLuhn(digits) && !this.isKnownNumber(digits)) add('luhn-valid number', digits);
      }
    }
    for (const { cvc, pattern } of this.cvcs) if (pattern.test(text)) add('sent CVC', cvc);
    if (cvcField.test(item.text)) add('CVC field', '');
    return findings;
  }

  scanAll(items: Iterable<ScanItem>): { findings: Finding[]; scanned: number } {
    const findings: Finding[] = [];
    let scanned = 0;
    for (const item of items) {
      scanned++;
      findings.push(...this.scan(item));
    }
    return { findings, scanned };
  }
}
