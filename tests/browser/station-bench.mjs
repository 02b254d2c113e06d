// station-bench.mjs URL N - a scripted reviewer works through N records of
// the queue in Debian's chromium, keys only: on each record the first
// (doubted) field is typed over and Enter saves and opens the next. Prints
// the ids worked on, one a line (station.sh times the server's part of
// each from the request log) and the wall time per record.
import { chromium } from 'playwright-core';
import { idOf, login, retype } from './keys.mjs';

const [url, nArg] = process.argv.slice(2);
const n = Number(nArg || 50);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const ctx = await browser.newContext({ viewport: { width: 1400, height: 950 } });
const page = await login(ctx, url, 'bench', 'bench-mat-khau');
await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
const walls = [];
for (let i = 0; i < n; i++) {
  const id = idOf(page.url());
  if (!id) break;
  console.log(id);
  const t0 = Date.now();
  await retype(page);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await page.waitForLoadState('load');
  walls.push((Date.now() - t0) / 1000);
}
walls.sort((a, b) => a - b);
console.error(`wall ${walls.length} records: median ${walls[Math.floor(walls.length / 2)].toFixed(3)} s`);
await browser.close();
