// Drives the eventwire web UI in Debian's headless chromium through playwright-core.
//
//   node ui.test.mjs --url http://127.0.0.1:8000 [--screenshot ../../docs/screenshot.png]
//                    [--article-screenshot ../../docs/screenshot-article.png]
//
// Never downloads a browser: it launches CHROMIUM (default /usr/bin/chromium). Every request
// the page makes must go to the server under test; anything else fails the run (the UI must
// work with no network). Prints one "ok ..." line per check and "N passed, N failed" last.
import { chromium } from "playwright-core";

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const BASE = arg("url", "http://127.0.0.1:8000").replace(/\/$/, "");
const SHOT = arg("screenshot", null);
const ARTICLE_SHOT = arg("article-screenshot", null);
const XSS_ARTICLE = arg("xss-article", null);   // id of a story full of markup (optional)
const EXE = process.env.CHROMIUM || "/usr/bin/chromium";

let passed = 0, failed = 0;
function check(cond, what) {
  if (cond) { passed++; console.log(`ok ${what}`); }
  else { failed++; console.log(`FAIL ${what}`); }
}

const browser = await chromium.launch({
  executablePath: EXE,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage", "--disable-extensions", "--font-render-hinting=none"],
});
const problems = [];
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const origin = new URL(BASE).origin;
  // the UI must not reach anything but its own server
  await page.route("**/*", route => {
    const u = route.request().url();
    if (u.startsWith(origin + "/") || u.startsWith("data:")) return route.continue();
    problems.push(`request to another host: ${u}`);
    return route.abort();
  });
  page.on("pageerror", e => problems.push(`page error: ${e.message}`));
  page.on("dialog", d => { problems.push(`a dialog opened (script injection?): ${d.message()}`); d.dismiss(); });
  page.on("console", m => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("response", r => { if (r.status() >= 400 && !r.url().includes("/nope")) problems.push(`HTTP ${r.status()} ${r.url()}`); });

  // 1. the dashboard: map, timeline, table
  const resp = await page.goto(BASE + "/", { waitUntil: "networkidle" });
  check(resp.status() === 200, "home page loads");
  const csp = resp.headers()["content-security-policy"] || "";
  check(csp.includes("default-src 'self'"), "CSP header on the page");
  await page.waitForSelector("body[data-state=ready] #events-table tbody tr", { timeout: 20000 });
  const allRows = await page.locator("#events-table tbody tr").count();
  check(allRows > 0, `event table has rows (${allRows})`);
  check(await page.locator("#map path.land").count() > 100, "map draws country shapes");
  check(await page.locator("#map circle.pt").count() > 0, "map draws event places");
  check(await page.locator("#timeline rect.seg").count() > 0, "timeline draws bars");
  const total = async () => Number((await page.locator("#summary .num").first().textContent()).replace(/,/g, ""));
  const before = await total();

  // 2. apply a filter through the filter bar
  await page.selectOption("#f-type", "ASSAULT");
  await Promise.all([page.waitForURL(/type=ASSAULT/), page.click("#apply")]);
  await page.waitForSelector("body[data-state=ready] #events-table tbody tr");
  const after = await total();
  check(after > 0 && after < before, `type filter narrows the events (${before} -> ${after})`);
  const types = await page.locator("#events-table tbody tr td:nth-child(2) strong").allTextContents();
  check(types.length > 0 && types.every(t => t === "ASSAULT"), "every row is an ASSAULT");
  if (SHOT) {
    // the screenshot shows the whole, unfiltered dashboard
    await page.goto(BASE + "/", { waitUntil: "networkidle" });
    await page.waitForSelector("body[data-state=ready] #events-table tbody tr");
    await page.setViewportSize({ width: 1440, height: 1240 });
    await page.screenshot({ path: SHOT, fullPage: false });
    await page.setViewportSize({ width: 1440, height: 1000 });
    console.log(`screenshot: ${SHOT}`);
    await page.goto(BASE + "/?type=ASSAULT", { waitUntil: "networkidle" });
    await page.waitForSelector("body[data-state=ready] #events-table tbody tr");
  }

  // 3. open an article from the table; its events' spans are highlighted
  const first = page.locator("#events-table tbody tr td:last-child a").first();
  const title = (await first.textContent()).trim();
  await Promise.all([page.waitForURL(/\/articles\//), first.click()]);
  await page.waitForSelector("body[data-state=ready] #story .hl", { timeout: 20000 });
  check((await page.locator("#article-title").textContent()).trim() === title, "article page shows the clicked article");
  const n = role => page.locator(`#story .hl.r-${role}`).count();
  const triggers = await n("trigger");
  check(triggers > 0, `triggers highlighted (${triggers})`);
  check(await page.locator("#story .hl.r-trigger[class*='st-']").count() === triggers, "every trigger coloured by status");
  const roles = { actor: await n("actor"), recipient: await n("recipient"), place: await n("place"), date: await n("date") };
  check(Object.values(roles).filter(v => v > 0).length >= 3, `actors/recipients/places/dates highlighted (${JSON.stringify(roles)})`);
  check(await page.locator("#role-legend .hl").count() === 6 && await page.locator(".legend .item").count() >= 9, "role and status legends shown");
  // the highlighted text is the article's own text, spans and all
  const api = await (await page.request.get(page.url().replace("/articles/", "/api/articles/"))).json();
  const storyText = await page.locator("#story").textContent();
  check(storyText === api.text, "story text rendered exactly (as text)");
  // hovering an event focuses its spans
  await page.locator(".ev").first().hover();
  check(await page.locator("#story.focus .hl.on").count() > 0, "hovering an event focuses its spans");
  if (ARTICLE_SHOT) {
    await page.mouse.move(5, 5);
    await page.screenshot({ path: ARTICLE_SHOT, fullPage: false });
    console.log(`screenshot: ${ARTICLE_SHOT}`);
  }

  // 4. an event page and its JSON twin
  await Promise.all([page.waitForURL(/\/events\/\d+/), page.locator(".ev a").first().click()]);
  await page.waitForSelector("body[data-state=ready] #snippet .hl.r-trigger");
  check(await page.locator("#spans-table tbody tr").count() > 0, "event page lists the spans");
  const twin = await page.getAttribute("#json-twin", "href");
  check(/^\/api\/events\/\d+$/.test(twin), `event page links its JSON twin (${twin})`);

  // 5. a story with <script> and <img onerror> in it shows them as text
  if (XSS_ARTICLE) {
    await page.goto(`${BASE}/articles/${encodeURIComponent(XSS_ARTICLE)}`, { waitUntil: "networkidle" });
    await page.waitForSelector("body[data-state=ready] #story");
    const shown = await page.locator("#article-title").textContent();
    check(shown.includes("<script>alert(1)</script>"), "markup in a title is shown as text");
    check((await page.locator("#story").textContent()).includes("<img src=x onerror=alert(2)>"), "markup in a story is shown as text");
    check(await page.locator("#main script, #main img, #main b").count() === 0, "no element made from story text");
    await page.goto(`${BASE}/?q=${encodeURIComponent("<script>")}`, { waitUntil: "networkidle" });
    await page.waitForSelector("body[data-state=ready] #events-card");
    check(await page.locator("#main script, #main img").count() === 0, "search for markup renders no markup");
  }

  // 6. the other pages render
  for (const [path, sel] of [["/articles", "#articles-table tbody tr"], ["/clusters", "#clusters-table tbody tr"], ["/docs", ".op"]]) {
    await page.goto(BASE + path, { waitUntil: "networkidle" });
    await page.waitForSelector(`body[data-state=ready] ${sel}`, { timeout: 20000 });
    check(true, `${path} renders`);
  }
} catch (e) {
  failed++;
  console.log(`FAIL ${e && e.stack || e}`);
} finally {
  await browser.close();
}
for (const p of problems) { failed++; console.log(`FAIL ${p}`); }
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
