// 13–19 digits, optionally grouped by single spaces or dashes ("4242 4242 4242 4242").
const digitRun = /\d(?:[ -]?\d){12,18}/g;
// UUIDs are all hex and dashes, so one can look like a grouped digit run; they are ids, never card data.
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Luhn (mod 10) check every card number passes; `digits` holds digits only. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function containsCardNumber(text: string): boolean {
  if (uuid.test(text)) return false;
  for (const run of text.match(digitRun) ?? []) {
    if (passesLuhn(run.replace(/[ -]/g, ''))) return true;
  }
  return false;
}

/** Returns the path of the first string or number that looks like a card number (13–19 digits, Luhn-valid). */
export function findCardNumber(value: unknown, path = '(root)'): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') {
    return containsCardNumber(String(value)) ? path : undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const found = findCardNumber(child, path === '(root)' ? key : `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
