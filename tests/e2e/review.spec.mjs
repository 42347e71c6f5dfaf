// review.spec.mjs -- end-to-end test of arbiterd's review page in Debian's
// Chromium (headless, driven by playwright-core; no browser is downloaded).
//
// Run by tests/cli/review_e2e.sh, which starts arbiterd and passes:
//   ARB_BASE          http://127.0.0.1:PORT
//   ARB_SVC_TOKEN     a service-role token (posts decisions, files appeals)
//   ARB_MOD_NAME / ARB_MOD_PASSWORD   a configured moderator
//   ARB_PROFILE       a fresh, empty Chromium user-data directory
//   CHROMIUM          the browser (default /usr/bin/chromium)
//
// It posts hostile posts through /v1/check, logs in through the page, claims
// and upholds one case and overturns another with the keyboard, has the
// platform appeal one over the API, and checks that the page never ran the
// posts' text (no global set by a payload, no dialog, no CSP violation),
// that the matched words are highlighted in the original text, that direction
// overrides are shown as visible markers, and that logout ends the session.
// Prints one line per check; exits 1 on the first failure.
import { chromium } from 'playwright-core';

const BASE = process.env.ARB_BASE;
const SVC = process.env.ARB_SVC_TOKEN;
const NAME = process.env.ARB_MOD_NAME;
const PASSWORD = process.env.ARB_MOD_PASSWORD;
const PROFILE = process.env.ARB_PROFILE;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
if (!BASE || !SVC || !NAME || !PASSWORD || !PROFILE) {
  console.error('review.spec.mjs: ARB_BASE, ARB_SVC_TOKEN, ARB_MOD_NAME, ARB_MOD_PASSWORD and ARB_PROFILE are required');
  process.exit(2);
}

let passed = 0;
function check(cond, what, detail) {
  if (!cond) {
    console.error('FAIL: ' + what + (detail !== undefined ? ': ' + JSON.stringify(detail) : ''));
    throw new Error(what);
  }
  passed++;
  console.log('ok ' + passed + ' - ' + what);
}

async function api(method, path, body) {
  const r = await fetch(BASE + path, {
    method,
    headers: { Authorization: 'Bearer ' + SVC, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  return { status: r.status, json: await r.json().catch(() => null) };
}

// Hostile posts: each would set window.__pwned or open a dialog if the page
// ever parsed it as HTML or script.
const RLO = '\u202E', PDF = '\u202C';
const POSTS = [
  { id: 'e2e-script', text: 'I will kill him <script>window.__pwned="script";alert("script")</script> tonight' },
  { id: 'e2e-onerror', text: 'I will kill him <img src=x onerror="window.__pwned=\'img\';alert(\'img\')"> now' },
  { id: 'e2e-bidi', text: 'I will kill him ' + RLO + 'txet nedd1h' + PDF + ' <svg onload=alert(1)>' }
];

async function main() {
  for (const p of POSTS) {
    const r = await api('POST', '/v1/check', {
      id: p.id, text: p.text, author_country: 'US', created_at: '2022-03-10T12:00:00Z'
    });
    check(r.status === 200 && r.json.action === 'escalate', 'post ' + p.id + ' is escalated', r);
  }

  const ctx = await chromium.launchPersistentContext(PROFILE, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  });
  const dialogs = [], problems = [];
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
    page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) {
        problems.push('console: ' + m.text());
      }
    });
    page.setDefaultTimeout(15000);

    const resp = await page.goto(BASE + '/review');
    const csp = resp.headers()['content-security-policy'] || '';
    check(/script-src 'self'/.test(csp) && !/unsafe-inline|unsafe-eval/.test(csp.split('style-src')[0]),
      'page is served with a strict CSP', csp);

    // --- login ---
    await page.locator('#login-view').waitFor({ state: 'visible' });
    await page.fill('#login-name', NAME);
    await page.fill('#login-password', 'wrong password');
    await page.click('#login-submit');
    await page.waitForFunction(() => /Login failed/.test(document.getElementById('status').textContent));
    check(await page.locator('#review-view').isHidden(), 'a wrong password does not log in');
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.locator('#review-view').waitFor({ state: 'visible' });
    const cookies = await ctx.cookies(BASE);
    const sc = cookies.find((c) => /arbd_session$/.test(c.name));
    check(sc && sc.httpOnly && sc.sameSite === 'Strict', 'session cookie is HttpOnly and SameSite=Strict', sc);
    check(await page.evaluate(() => document.cookie.indexOf('arbd_session') < 0),
      'the page script cannot read the session cookie');

    // --- the queue and the first case ---
    await page.waitForFunction((n) => document.querySelectorAll('#queue li').length === n, POSTS.length);
    check(true, 'the queue lists ' + POSTS.length + ' cases');
    await page.locator('#case').waitFor({ state: 'visible' });
    await page.waitForFunction(() => /<script>/.test(document.getElementById('post-text').textContent));
    const first = await page.evaluate(() => {
      const p = document.getElementById('post-text');
      return {
        text: p.textContent,
        elements: Array.from(p.querySelectorAll('*')).map((e) => e.tagName.toLowerCase()),
        trigger: Array.from(p.querySelectorAll('mark.hl-trigger')).map((m) => m.textContent),
        target: Array.from(p.querySelectorAll('mark.hl-target')).map((m) => m.textContent),
        rule: document.getElementById('policy-facts').textContent,
        statements: document.querySelectorAll('#statements tbody tr').length
      };
    });
    check(first.text === POSTS[0].text, 'the post is shown as text, byte for byte', first.text);
    check(first.elements.every((t) => t === 'mark' || t === 'span'), 'no element came from the post', first.elements);
    check(first.trigger.join('|') === 'kill', 'the violent word is highlighted in the original text', first.trigger);
    check(first.target.join('|') === 'him', 'the target is highlighted', first.target);
    check(/e2e\.violent\.escalate/.test(first.rule) && /e2e-escalate-all version test-1/.test(first.rule),
      'the rule and the policy version are shown', first.rule);
    check(first.statements === 1, 'the statement table has one row', first.statements);
    const apiCase = await page.evaluate(async () => (await fetch('/v1/cases/1')).json());
    check(/Test policy brief/.test(apiCase.brief_html || ''), 'the case record carries the policy brief', apiCase.brief_html);
    await page.frameLocator('#brief').locator('h1').waitFor();
    check(await page.frameLocator('#brief').locator('h1').textContent() === 'Test policy brief',
      'the policy brief is shown (sandboxed frame)');

    // --- j / k ---
    const title = (re) => page.waitForFunction(
      (src) => new RegExp(src).test(document.getElementById('case-title').textContent), re.source);
    await page.keyboard.press('j');
    await title(/Case #2 /);
    check(true, 'j moves to the next case');
    await page.keyboard.press('k');
    await title(/Case #1 /);
    check(true, 'k moves to the previous case');

    // --- help, claim, uphold with the keyboard ---
    await page.keyboard.press('?');
    check(await page.evaluate(() => document.getElementById('help').open), '? opens the help');
    await page.keyboard.press('Escape');
    check(!(await page.evaluate(() => document.getElementById('help').open)), 'Escape closes the help');

    const statusHas = (re) => page.waitForFunction(
      (src) => new RegExp(src).test(document.getElementById('status').textContent), re.source);
    await page.keyboard.press('u');
    await statusHas(/reason before/);
    check(true, 'u without a reason asks for one');
    await page.keyboard.press('Escape');
    await page.keyboard.press('c');
    await statusHas(/Claimed case #1/);
    // the page says "Claimed" before it reloads the case and enables the
    // verdict buttons: wait (bounded) for the enabled state, do not sample it
    const enabled = await page.waitForFunction(() => !document.getElementById('uphold').disabled,
      null, { timeout: 10000 }).then(() => true, () => false);
    check(enabled, 'c claims the case');
    await page.fill('#reason', 'Direct threat against a person </textarea><script>alert(9)</script>');
    await page.keyboard.press('Escape');
    await page.keyboard.press('u');
    await statusHas(/Case #1: upheld/);
    check(true, 'u upholds the claimed case');

    // --- next case: overturn ---
    await page.waitForFunction(() => /Case #2/.test(document.getElementById('case-title').textContent));
    const second = await page.evaluate(() => ({
      text: document.getElementById('post-text').textContent,
      imgs: document.querySelectorAll('img').length
    }));
    check(second.text === POSTS[1].text && second.imgs === 0, 'the <img onerror> post is inert text', second);
    await page.keyboard.press('c');
    await statusHas(/Claimed case #2/);
    await page.fill('#reason', 'Quoting a film line');
    await page.click('#overturn');
    await statusHas(/Case #2: overturned/);
    check(true, 'overturn with a reason');

    // --- the RTL override post ---
    await page.waitForFunction(() => /Case #3/.test(document.getElementById('case-title').textContent));
    const third = await page.evaluate(() => {
      const p = document.getElementById('post-text');
      return {
        markers: Array.from(p.querySelectorAll('.bidi-marker')).map((m) => m.textContent),
        hasControl: /[\u202A-\u202E\u2066-\u2069]/.test(p.textContent),
        isolate: getComputedStyle(p).unicodeBidi,
        svg: p.querySelectorAll('svg').length
      };
    });
    check(third.markers.join(' ') === '\u27E6RLO\u27E7 \u27E6PDF\u27E7', 'direction overrides are visible markers', third.markers);
    check(!third.hasControl && third.svg === 0, 'no live direction control or element reaches the page', third);
    check(third.isolate === 'isolate', 'the post is rendered with unicode-bidi: isolate', third.isolate);

    // --- the platform appeals case 1; the page shows it back in the queue ---
    const ap = await api('POST', '/v1/cases/1/appeal', { reason: 'The poster says it was a joke' });
    check(ap.status === 200 && ap.json.status === 'appealed', 'the platform appeals case 1', ap);
    await page.keyboard.press('r');
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#queue li'))
      .some((li) => li.dataset.caseId === '1' && /appealed/.test(li.textContent)));
    check(true, 'the appealed case is back in the queue');

    // --- nothing ran ---
    const pwned = await page.evaluate(() => window.__pwned);
    check(pwned === undefined, 'no payload ran (window.__pwned unset)', pwned);
    check(dialogs.length === 0, 'no dialog opened', dialogs);
    check(problems.length === 0, 'no script error or CSP violation', problems);

    // --- logout ---
    await page.click('#logout');
    await page.locator('#login-view').waitFor({ state: 'visible' });
    const after = await page.evaluate(async () => (await fetch('/login')).status);
    check(after === 401, 'after logout the session is gone', after);
    const reuse = await fetch(BASE + '/v1/cases', { headers: { Cookie: sc.name + '=' + sc.value } });
    check(reuse.status === 401, 'the old session cookie no longer works', reuse.status);
  } finally {
    await ctx.close();
  }
  console.log('review e2e: ' + passed + ' checks passed');
}

main().catch((e) => {
  console.error('review e2e failed: ' + (e && e.message ? e.message : e));
  process.exit(1);
});
