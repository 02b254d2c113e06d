// browser.mjs URL NAME SHOT - a clerk's visit in Debian's chromium: type a
// name without tones, open the first hit, see the page image load, save
// a screenshot. Prints "ok - ..." / "not ok - ..." lines for tests/run.sh.
import { chromium } from 'playwright-core';
import { checker } from './keys.mjs';

const [url, name, shot] = process.argv.slice(2);
const { check, failed } = checker();

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
  const outside = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(url)) outside.push(r.url());
  });
  await page.goto(url + '/');
  check((await page.title()).includes('Tra cứu'), 'the search page opens');
  await page.fill('input[name=q]', name);
  await page.press('input[name=q]', 'Enter');
  await page.waitForSelector('.hit a');
  const hits = await page.locator('.hit').count();
  check(hits > 0, `typing "${name}" lists ${hits} hit(s)`);
  check((await page.locator('.hit mark').count()) > 0, 'matched words are marked');
  await page.locator('.hit h2 a').first().click();
  await page.waitForSelector('.pages img');
  const loaded = await page.locator('.pages img').first().evaluate(
    (img) => img.complete ? img.naturalWidth : new Promise((res) => {
      img.onload = () => res(img.naturalWidth);
      img.onerror = () => res(0);
    }));
  check(loaded > 0, `the page image loads (${loaded} px wide)`);
  check((await page.locator('table').first().innerText()).includes('Họ và tên'),
    'the record page shows its fields');
  await page.screenshot({ path: shot, fullPage: false });
  check(outside.length === 0, 'nothing is fetched from outside the machine');
} catch (e) {
  check(false, `browser visit: ${e.message.split('\n')[0]}`);
} finally {
  await browser.close();
}
process.exit(failed() ? 1 : 0);
