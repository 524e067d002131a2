/**
 * What the browser tests share: Debian's Chromium through playwright-core with a fresh profile, a
 * build of the UI when dist/ui is older than src/ui, and a check that an element is really visible —
 * inside the viewport and inside its scroll container, not just present in the DOM.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const root = new URL('../../', import.meta.url).pathname;

/** Builds the UI when dist/ui is missing or older than a source file of src/ui. */
export function buildUiIfStale(): void {
  const built = join(root, 'dist/ui/index.html');
  const dir = join(root, 'src/ui');
  const stale = !existsSync(built) || readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((f) => statSync(join(dir, f)).mtimeMs > statSync(built).mtimeMs);
  if (stale) execFileSync('npx', ['vite', 'build', '--config', 'src/ui/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'ignore' });
}

/** Headless Chromium with a fresh profile (--user-data-dir; playwright passes it from the first argument). */
export function launchChromium(viewport: { width: number; height: number }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ns-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    viewport,
    acceptDownloads: true,
  });
}

/**
 * Why an element is not fully visible, or null when it is: its box must lie inside the viewport's
 * width, inside every scrolling or clipping ancestor, and its text must not overflow its own box.
 */
export function hiddenReason(target: Locator): Promise<string | null> {
  return target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return 'it has no size';
    if (r.left < 0 || r.right > document.documentElement.clientWidth + 0.5) return `it lies outside the viewport (x ${r.left.toFixed(0)}–${r.right.toFixed(0)}, viewport ${document.documentElement.clientWidth})`;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const c = p.getBoundingClientRect();
      if (r.left < c.left - 0.5 || r.right > c.right + 0.5) return `it is clipped by ${p.tagName.toLowerCase()}.${p.className} (x ${r.left.toFixed(0)}–${r.right.toFixed(0)} in ${c.left.toFixed(0)}–${c.right.toFixed(0)})`;
    }
    if (getComputedStyle(el).display !== 'inline' && el.scrollWidth > el.clientWidth + 1) return `its content is wider than its box (${el.scrollWidth} > ${el.clientWidth})`;
    return null;
  });
}

/** Answers the UI's token dialog with `token` if it opens within `waitMs` (it does not once the session has the token). */
export async function answerTokenPrompt(page: Page, token: string, waitMs = 5000): Promise<void> {
  const ask = page.getByRole('textbox', { name: /API token/ });
  await ask.waitFor({ timeout: waitMs }).then(async () => {
    await ask.fill(token);
    await page.getByRole('button', { name: 'Use token' }).click();
  }, () => undefined);
}
