/**
 * The latency-over-time chart as a plain SVG: p50 and p99 of the orders completed in each second
 * (top), and how many completed in that second (bottom). No library: a few paths and labels.
 */
import type { SecondBucket } from './latency-stats.js';

const WIDTH = 960;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 40 };
const LATENCY_PANEL = { top: MARGIN.top, height: 260 };
const THROUGHPUT_PANEL = { top: MARGIN.top + 260 + 60, height: 160 };
const HEIGHT = THROUGHPUT_PANEL.top + THROUGHPUT_PANEL.height + MARGIN.bottom;
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;

export function latencyChartSvg(buckets: readonly SecondBucket[], title: string): string {
  const seconds = Math.max(1, buckets.length);
  const x = (second: number) => MARGIN.left + (second / seconds) * PLOT_WIDTH;
  const maxLatency = niceCeiling(Math.max(1, ...buckets.map((b) => b.p99Ms).filter(Number.isFinite)));
  const maxRate = niceCeiling(Math.max(1, ...buckets.map((b) => b.completed)));
  const yLatency = (ms: number) => LATENCY_PANEL.top + LATENCY_PANEL.height * (1 - ms / maxLatency);
  const yRate = (rate: number) => THROUGHPUT_PANEL.top + THROUGHPUT_PANEL.height * (1 - rate / maxRate);
  const barWidth = Math.max(1, PLOT_WIDTH / seconds - 1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...axis(LATENCY_PANEL, maxLatency, formatMilliseconds, yLatency),
    linePath(buckets, (b) => b.p50Ms, x, yLatency, '#1f77b4'),
    linePath(buckets, (b) => b.p99Ms, x, yLatency, '#d62728'),
    legend(MARGIN.left + PLOT_WIDTH - 170, LATENCY_PANEL.top + 10, [['p50 place → completed', '#1f77b4'], ['p99 place → completed', '#d62728']]),
    ...axis(THROUGHPUT_PANEL, maxRate, (rate) => `${formatNumber(rate)}/s`, yRate),
    ...buckets.map((b) => `<rect x="${(x(b.second) + 0.5).toFixed(1)}" y="${yRate(b.completed).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(THROUGHPUT_PANEL.top + THROUGHPUT_PANEL.height - yRate(b.completed)).toFixed(1)}" fill="#2ca02c"/>`),
    legend(MARGIN.left + PLOT_WIDTH - 170, THROUGHPUT_PANEL.top + 10, [['orders completed per second', '#2ca02c']]),
    ...timeTicks(seconds, x),
    `<text x="${MARGIN.left + PLOT_WIDTH / 2}" y="${HEIGHT - 6}" text-anchor="middle">seconds since the first order was sent</text>`,
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

function axis(panel: { top: number; height: number }, max: number, format: (value: number) => string, y: (value: number) => number): string[] {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => fraction * max);
  return [
    `<rect x="${MARGIN.left}" y="${panel.top}" width="${PLOT_WIDTH}" height="${panel.height}" fill="none" stroke="#999"/>`,
    ...ticks.map(
      (value) =>
        `<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_WIDTH}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#eee"/>` +
        `<text x="${MARGIN.left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${format(value)}</text>`,
    ),
  ];
}

function linePath(buckets: readonly SecondBucket[], value: (b: SecondBucket) => number, x: (s: number) => number, y: (v: number) => number, color: string): string {
  let d = '';
  let drawing = false;
  for (const bucket of buckets) {
    const v = value(bucket);
    // A second without completions leaves a gap rather than a line through zero.
    if (!Number.isFinite(v)) {
      drawing = false;
      continue;
    }
    d += `${drawing ? 'L' : 'M'}${(x(bucket.second + 0.5)).toFixed(1)},${y(v).toFixed(1)} `;
    drawing = true;
  }
  return `<path d="${d.trim()}" fill="none" stroke="${color}" stroke-width="1.5"/>`;
}

function legend(left: number, top: number, entries: [string, string][]): string {
  return entries
    .map(([label, color], index) => `<rect x="${left}" y="${top + index * 16}" width="12" height="3" fill="${color}"/><text x="${left + 18}" y="${top + index * 16 + 5}">${escapeXml(label)}</text>`)
    .join('');
}

function timeTicks(seconds: number, x: (s: number) => number): string[] {
  const step = niceCeiling(seconds / 10);
  const ticks: string[] = [];
  for (let second = 0; second <= seconds; second += step) {
    ticks.push(`<text x="${x(second).toFixed(1)}" y="${THROUGHPUT_PANEL.top + THROUGHPUT_PANEL.height + 16}" text-anchor="middle">${second}</text>`);
  }
  return ticks;
}

/** 1, 2 or 5 times a power of ten, at least `value`. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= value) ?? 10 * power);
}

function formatMilliseconds(ms: number): string {
  return ms >= 10_000 ? `${formatNumber(ms / 1000)} s` : `${formatNumber(ms)} ms`;
}

function formatNumber(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(value % 1 === 0 ? 0 : 1);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
