/**
 * Chromium for browser tests: Debian's `/usr/bin/chromium` driven by playwright-core (no browser
 * download), headless with the flags that work as root on the test machines, each launch with a
 * fresh profile, one context and one page, and numbered screenshots under `test-artifacts/<dir>/`.
 */
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.ORDERFLOW_CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface TestBrowserOptions {
  /** Screenshots go to `test-artifacts/<artifactsDir>/`, e.g. `ops` or `checkout`. */
  artifactsDir: string;
  /** Relative `page.goto('/x')` resolves against it. */
  baseURL?: string;
  viewport?: { width: number; height: number };
  /** Per-action and per-assertion wait of playwright; 10 s unless given. */
  timeoutMs?: number;
}

export interface TestBrowser {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught page errors and `console.error` lines so far, to assert on or to print when a test fails. */
  readonly pageErrors: string[];
  /** Saves a full-page PNG as `<nn>-<name>.png` (numbered in call order) and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Opens another context with its own storage, e.g. a second user. */
  newContext(): Promise<BrowserContext>;
  /** Closes the contexts and the browser (which removes its temporary profile); safe to call twice. */
  close(): Promise<void>;
}

/** Thrown by {@link openTestBrowser} when Chromium is not installed where expected. */
export class ChromiumMissingError extends Error {
  override readonly name = 'ChromiumMissingError';
  constructor(readonly executablePath: string, override readonly cause: unknown) {
    super(`Expected Chromium at ${executablePath} (apt-get install -y chromium), but it is not there`);
  }
}

/**
 * Launches Chromium with a fresh profile (playwright creates a temporary user-data-dir per launch
 * and removes it on close), one context and one page.
 * @throws ChromiumMissingError when Chromium is not installed.
 */
export async function openTestBrowser(options: TestBrowserOptions): Promise<TestBrowser> {
  await access(CHROMIUM_PATH).catch((error: unknown) => {
    throw new ChromiumMissingError(CHROMIUM_PATH, error);
  });
  const artifacts = path.join(projectRoot, 'test-artifacts', options.artifactsDir);
  await mkdir(artifacts, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
  const contextOptions = { viewport: options.viewport ?? { width: 1366, height: 900 }, ...(options.baseURL ? { baseURL: options.baseURL } : {}) };
  const newContext = async () => {
    const context = await browser.newContext(contextOptions);
    context.setDefaultTimeout(options.timeoutMs ?? 10_000);
    return context;
  };
  const context = await newContext();
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console.error: ${message.text()}`);
  });
  let shots = 0;
  let closing: Promise<void> | undefined;
  return {
    browser,
    context,
    page,
    pageErrors,
    newContext,
    async screenshot(name) {
      shots += 1;
      const file = path.join(artifacts, `${String(shots).padStart(2, '0')}-${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close() {
      closing ??= browser.close();
      return closing;
    },
  };
}
