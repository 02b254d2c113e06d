// keys.mjs - a clerk at the keyboard, for the station's test and bench:
// log in, read the focused field, type a value of its kind over it.

// a value of the field's kind, as a clerk would type it, never the old one
export const valueFor = (name, old) => {
  if (name.startsWith('ngay')) return old === '15/03/1985' ? '16/03/1985' : '15/03/1985';
  if (name === 'gioi_tinh') return old === 'Nam' ? 'Nữ' : 'Nam';
  if (name === 'so' || name === 'quyen_so' || name.endsWith('_so')) return old === '12' ? '13' : '12';
  if (name === 'dien_tich') return old === '100.5' ? '100.6' : '100.5';
  if (name.startsWith('ho_ten') || name === 'chu_su_dung') return old === 'TRẦN THỊ BÌNH' ? 'TRẦN THỊ BÍCH' : 'TRẦN THỊ BÌNH';
  if (name === 'type') return old;
  return old === 'Xã An Bình' ? 'Xã An Phú' : 'Xã An Bình';
};

export const focused = (page) => page.evaluate(() => ({
  name: document.activeElement && document.activeElement.name,
  value: document.activeElement && document.activeElement.value,
}));

export const idOf = (u) => (u.match(/\/review\/(HS-\d{6})/) || [])[1];

// types a new value into the focused field, keys only
export async function retype(page) {
  const f = await focused(page);
  const v = valueFor(f.name, f.value);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(v);
  return { name: f.name, value: v };
}

// the login form by keys: the name has the focus, Tab, the password, Enter
export async function login(ctx, url, user, password) {
  const page = await ctx.newPage();
  await page.goto(url + '/login');
  // the name field takes the focus itself (autofocus); type once it has
  await page.waitForFunction(() => document.activeElement && document.activeElement.name === 'user');
  await page.keyboard.type(user);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  return page;
}

// check(cond, what) prints "ok - what" / "not ok - what" for
// tests/run.sh; failed() says how many did not hold
export function checker() {
  let failed = 0;
  const check = (cond, what) => {
    console.log(`${cond ? 'ok' : 'not ok'} - ${what}`);
    if (!cond) failed++;
  };
  return { check, failed: () => failed };
}
