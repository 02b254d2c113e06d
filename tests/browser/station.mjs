// station.mjs URL SHOT IDS - the review station in Debian's chromium. A
// reviewer (lan) logs in, opens the queue, corrects two fields and
// accepts the next record with the keyboard only; the history names lan;
// a viewer's correction is 403; a POST without the CSRF token is 403; two
// reviewers save one record: the second is told who and when, the first's
// value stays; markup typed into a field comes back escaped. Writes the
// corrected and the accepted record's ids to IDS, one a line. Prints
// "ok - ..." / "not ok - ..." lines for tests/run.sh.
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { checker, focused, idOf, login as keyLogin, retype } from './keys.mjs';

const [url, shot, idsFile] = process.argv.slice(2);
const { check, failed } = checker();

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const outside = [];
const login = (ctx, user, password) => keyLogin(ctx, url, user, password);
try {
  const lanCtx = await browser.newContext({ viewport: { width: 1400, height: 950 } });
  lanCtx.on('request', (r) => { if (!r.url().startsWith(url)) outside.push(r.url()); });
  const page = await login(lanCtx, 'lan', 'lan-mat-khau-1');
  check(page.url().endsWith('/queue'), 'a reviewer logs in with the keyboard and lands on the queue');
  const total = await page.locator('main p b').first().innerText();
  check(Number(total) >= 2, `the queue counts ${total} records`);
  check(await page.locator('.counts a').count() >= 2, 'with counts by type and problem to filter on');

  // "Bắt đầu" has the focus: Enter opens the first record
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  const first = idOf(page.url());
  check(!!first, `Enter on "Bắt đầu" opens the first record (${first})`);
  check(await page.locator('.sheet img').count() >= 1, 'its page image is beside the form');
  check(await page.locator('.sheet .box').count() >= 3, 'with the words of the fields outlined');
  const f1 = await focused(page);
  check(await page.locator('.row').first().evaluate((r) => r.classList.contains('doubt')),
    `the first field has the focus and is the doubted one (${f1.name})`);
  const zoomShown = await page.locator('.row').first().locator('.zoom').evaluate(
    (z) => getComputedStyle(z).display).catch(() => 'none');
  check(zoomShown === 'block', 'the field being edited is zoomed on the page');
  await page.screenshot({ path: shot });

  const c1 = await retype(page);
  await page.keyboard.press('Tab');
  const c2 = await retype(page);
  check(c1.name !== c2.name, `Tab moves to the next field (${c1.name} -> ${c2.name})`);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  const second = idOf(page.url());
  check(second && second !== first, `Enter saves and opens the next record (${second})`);

  // accept the next as it stands, keys only
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Control+Enter')]);
  check(idOf(page.url()) !== second, 'Ctrl+Enter accepts it and moves on');
  writeFileSync(idsFile, `${first}\n${second}\n`);

  await page.goto(`${url}/record/${first}`);
  const hist = await page.locator('table').last().innerText();
  check(hist.includes('corrected') && hist.includes('lan'), 'the history shows the correction by lan');
  check(hist.includes(c1.value) && hist.includes(c2.value), 'with both new values');
  await page.goto(`${url}/record/${second}`);
  check((await page.locator('h1').innerText()).includes('đã kiểm tra: lan'), 'the accepted record shows as reviewed');

  // a value that is not of its kind is refused beside its field
  await page.goto(`${url}/review/${second}`);
  const dateInput = page.locator('input[name^=ngay]').first();
  const dateName = await dateInput.getAttribute('name');
  await dateInput.fill('31/02/1990');
  const [bad] = await Promise.all([page.waitForNavigation(), dateInput.press('Enter')]);
  const why = await page.locator(`#why-${dateName}`).innerText().catch(() => '');
  check(bad.status() === 422 && why.includes('is not a date'),
    `an impossible date is refused next to its field (${bad.status()}: ${why})`);
  check(await page.inputValue(`input[name=${dateName}]`) === '31/02/1990', 'and what was typed stays in the form');

  // a viewer may look, not correct
  const xemCtx = await browser.newContext();
  const xem = await login(xemCtx, 'xem', 'xem-mat-khau-3');
  const xemCsrf = await xem.locator('input[name=csrf]').first().getAttribute('value');
  const r403 = await xemCtx.request.post(`${url}/review/${first}`, {
    form: { csrf: xemCsrf, version: '1', ho_ten: 'X' }, maxRedirects: 0 });
  check(r403.status() === 403, `a viewer's correction is refused (${r403.status()})`);
  const xemGet = await xem.goto(`${url}/review/${first}`);
  check(xemGet.status() === 403, 'and the station is not open to a viewer');

  // a form POST without the CSRF token
  const rNo = await lanCtx.request.post(`${url}/review/${first}`, {
    form: { version: '9', action: 'save' }, maxRedirects: 0 });
  check(rNo.status() === 403, `a POST without the CSRF token is refused (${rNo.status()})`);

  // two people, one record
  const third = 'HS-000001';
  const minhCtx = await browser.newContext({ viewport: { width: 1400, height: 950 } });
  const minh = await login(minhCtx, 'minh', 'minh-mat-khau-2');
  await page.goto(`${url}/review/${third}`);
  await minh.goto(`${url}/review/${third}`);
  const a = await retype(page);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await minh.keyboard.press('Tab');
  const b = await retype(minh);
  const [resp] = await Promise.all([minh.waitForNavigation(), minh.keyboard.press('Enter')]);
  const told = await minh.locator('p.err').innerText();
  check(resp.status() === 409 && told.includes('đã được lan sửa lúc'),
    `the second save is refused naming who and when (${resp.status()}: ${told.split('\n')[0]})`);
  check(told.includes(b.value), 'and shows what they typed, so it is not lost');
  check(await minh.inputValue(`input[name=${a.name}]`) === a.value, "the form now holds lan's value");
  await page.goto(`${url}/record/${third}`);
  check((await page.locator('table').first().innerText()).includes(a.value), "lan's save stands");

  // markup typed into a field
  await page.goto(`${url}/review/${third}`);
  const nameInput = page.locator('input[name^=ho_ten], input[name=chu_su_dung]').first();
  await nameInput.fill('<img src=x onerror=alert(1)>');
  await Promise.all([page.waitForNavigation(), nameInput.press('Enter')]);
  await page.goto(`${url}/record/${third}`);
  check(await page.locator('img[src=x]').count() === 0 &&
        (await page.locator('table').first().innerText()).includes('<img src=x onerror=alert(1)>'),
        'a value holding markup comes back escaped');
  await page.goto(`${url}/review/${third}`);
  check(await page.locator('img[src=x]').count() === 0, 'on the station too');
  check(outside.length === 0, 'nothing is fetched from outside the machine');
} catch (e) {
  check(false, `station: ${e.message.split('\n')[0]}`);
} finally {
  await browser.close();
}
process.exit(failed() ? 1 : 0);
