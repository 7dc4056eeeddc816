/**
 * The range relations of FEEL (DMN 1.3, 10.3.4.7; the Camunda 8 FEEL reference's "Range
 * functions") that feelin leaves unimplemented, each written in FEEL as the spec defines it and
 * compiled by feelin once, so points and bounds compare as feelin compares them (numbers, dates,
 * times, date-times, durations). A function that takes a point or a range tells them apart with
 * `instance of range`.
 */
import { evaluate, isFunction, type FeelFunction } from 'feelin';

const DEFINITIONS: Readonly<Record<string, string>> = {
  'overlaps before': `function(range1, range2)
    (range1.start < range2.start or (range1.start = range2.start and range1.start included and not(range2.start included)))
    and (range1.end > range2.start or (range1.end = range2.start and range1.end included and range2.start included))
    and (range1.end < range2.end or (range1.end = range2.end and (not(range1.end included) or range2.end included)))`,
  'overlaps after': `function(range1, range2)
    (range2.start < range1.start or (range2.start = range1.start and range2.start included and not(range1.start included)))
    and (range2.end > range1.start or (range2.end = range1.start and range2.end included and range1.start included))
    and (range2.end < range1.end or (range2.end = range1.end and (not(range2.end included) or range1.end included)))`,
  finishes: `function(point, range) if point instance of range
    then point.end included = range.end included and point.end = range.end
      and (point.start > range.start or (point.start = range.start and (not(point.start included) or range.start included)))
    else range.end included and range.end = point`,
  'finished by': `function(range, point) if point instance of range
    then range.end included = point.end included and range.end = point.end
      and (range.start < point.start or (range.start = point.start and (range.start included or not(point.start included))))
    else range.end included and range.end = point`,
  during: `function(point, range) if point instance of range
    then (range.start < point.start or (range.start = point.start and (range.start included or not(point.start included))))
      and (range.end > point.end or (range.end = point.end and (range.end included or not(point.end included))))
    else (range.start < point and range.end > point) or (range.start = point and range.start included) or (range.end = point and range.end included)`,
  starts: `function(point, range) if point instance of range
    then point.start = range.start and point.start included = range.start included
      and (range.end > point.end or (range.end = point.end and (not(point.end included) or range.end included)))
    else range.start = point and range.start included`,
  'started by': `function(range, point) if point instance of range
    then range.start = point.start and range.start included = point.start included
      and (range.end > point.end or (range.end = point.end and (not(point.end included) or range.end included)))
    else range.start = point and range.start included`,
  coincides: `function(point1, point2) if point1 instance of range
    then point1.start = point2.start and point1.start included = point2.start included
      and point1.end = point2.end and point1.end included = point2.end included
    else point1 = point2`,
};

function compile(name: string, source: string): FeelFunction {
  const { value } = evaluate(source);
  if (!isFunction(value)) throw new Error(`Expected the FEEL definition of '${name}' to be a function, but feelin made '${String(value)}' of it`);
  return value;
}

export const RANGE_FUNCTIONS: Readonly<Record<string, FeelFunction>> = Object.fromEntries(
  Object.entries(DEFINITIONS).map(([name, source]) => [name, compile(name, source)]),
);
