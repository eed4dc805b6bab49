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
  // errors the test provokes on purpose (a reversed date range, a missing page) are expected
  const EXPECTED_ERRORS = ["/nope", "date_to=2001-01-01"];
  page.on("console", m => {
    const where = (m.location() && m.location().url) || "";
    if (m.type() === "error" && !EXPECTED_ERRORS.some(x => where.includes(x))) problems.push(`console error: ${m.text()} ${where}`);
  });
  page.on("response", r => { if (r.status() >= 400 && !EXPECTED_ERRORS.some(x => r.url().includes(x))) problems.push(`HTTP ${r.status()} ${r.url()}`); });

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
  const pubTitles = await page.locator("#timeline g.bar title").allTextContents();
  const anyPubDated = (await (await page.request.get(`${BASE}/api/events?limit=500`)).json()).items.some(e => e.date_is_publication_date);
  if (anyPubDated) check(pubTitles.some(t => /publication date/.test(t)), "a timeline bar says how many of its events carry only the publication date");
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
  check(await page.locator("#role-legend .hl").count() === 8 && await page.locator(".legend .item").count() >= 9, "role and status legends shown");
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

  // 6. a multi-valued filter survives URL -> bar -> Apply -> URL, and downloads what it shows
  const meta = await (await page.request.get(BASE + "/api/meta")).json();
  const two = meta.statuses.filter(x => x.events > 0).map(x => x.key).slice(0, 2);
  check(two.length === 2, `two statuses with events (${two})`);
  const want = await (await page.request.get(`${BASE}/api/events?status=${two.join(",")}&limit=500`)).json();
  await page.goto(`${BASE}/?status=${two.join(",")}`, { waitUntil: "networkidle" });
  await page.waitForSelector("body[data-state=ready] #events-table tbody tr");
  const chosen = await page.$$eval("#f-status option:checked", os => os.map(o => o.value));
  check(JSON.stringify(chosen.sort()) === JSON.stringify(two.slice().sort()), `the bar shows both statuses from the URL (${chosen})`);
  check(await total() === want.total, `the page counts the events of both statuses (${want.total})`);
  await page.click("#apply");
  await page.waitForSelector("body[data-state=ready] #events-table tbody tr");
  check(new URL(page.url()).searchParams.get("status") === two.join(","), `Apply keeps both statuses in the URL (${page.url()})`);
  // add a type in the bar: both filters end up in the URL
  const firstType = (await page.locator("#events-table tbody tr td:nth-child(2) strong").first().textContent()).trim();
  await page.selectOption("#f-type", [firstType]);
  await Promise.all([page.waitForURL(/type=/), page.click("#apply")]);
  await page.waitForSelector("body[data-state=ready] #events-card");
  const sp = new URL(page.url()).searchParams;
  check(sp.get("status") === two.join(",") && sp.get("type") === firstType, `status and type both kept (${page.url()})`);
  // the download is the filtered list, every row
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-csv")]);
  const csvText = (await (await import("node:fs/promises")).readFile(await download.path(), "utf8")).replace(/^\uFEFF/, "");
  const csvRows = csvText.trim().split(/\r?\n/).slice(1);
  const filtered = await (await page.request.get(`${BASE}/api/events?status=${two.join(",")}&type=${firstType}&limit=500`)).json();
  check(csvRows.length === filtered.total, `the CSV download has the filtered rows (${csvRows.length} = ${filtered.total})`);
  check(download.suggestedFilename().endsWith(".csv"), `download named ${download.suggestedFilename()}`);
  const jl = await page.request.get(BASE + (await page.getAttribute("#download-jsonl", "href")));
  check(jl.ok() && (await jl.text()).trim().split("\n").length === filtered.total, "the JSON Lines download has the same rows");

  // 7. events / clusters toggle, map tag named, timeline on the filter's span
  await page.goto(BASE + "/", { waitUntil: "networkidle" });
  await page.waitForSelector("body[data-state=ready] #events-table tbody tr");
  await Promise.all([page.waitForURL(/view=clusters/), page.click("#view-toggle [data-view=clusters]")]);
  await page.waitForSelector("body[data-state=ready] #clusters-table tbody tr");
  check(await page.locator("#clusters-table tbody tr").count() > 0, "the table shows clusters on the toggle");
  const pubClusters = (await (await page.request.get(`${BASE}/api/clusters?limit=500`)).json()).items.filter(c => c.publication_dated).length;
  if (pubClusters) check(/publication date/.test(await page.locator("#clusters-table tbody").textContent()),
                         "a cluster no story dates says its date is a publication date");
  await page.goto(BASE + "/", { waitUntil: "networkidle" });
  await page.waitForSelector("body[data-state=ready] #map circle.pt");
  const pt = page.locator("#map circle.pt").first();
  const ptName = await pt.getAttribute("data-place");
  await Promise.all([page.waitForURL(/place=/), pt.dispatchEvent("click")]);
  await page.waitForSelector("body[data-state=ready] #events-card");
  const tag = (await page.locator("#place-tags .tag").first().textContent()) || "";
  check(tag.includes(ptName) && !/place: \d+/.test(tag), `the map's place tag shows the name (${tag.trim()})`);
  const someDate = want.items.map(e => e.event_date).find(Boolean) || meta.event_dates.max;
  const plus2 = new Date(Date.parse(someDate) + 2 * 864e5).toISOString().slice(0, 10);
  await page.goto(`${BASE}/?date_from=${someDate}&date_to=${plus2}`, { waitUntil: "networkidle" });
  await page.waitForSelector("body[data-state=ready] #timeline");
  const tlTitle = await page.locator("#timeline-card h2").textContent();
  const bars = await page.locator("#timeline g.bar").count();
  const ticks = await page.locator("#timeline text.tick").allTextContents();
  check(/per day/.test(tlTitle) && bars === 3, `a three-day filter draws three daily bars (${tlTitle}, ${bars})`);
  check(ticks.includes("0") && ticks.some(t => Number(t) >= 1), `the axis shows its top value (${ticks})`);

  // 8. errors stay inside the page, with the filter bar and Reset
  await page.goto(`${BASE}/?date_from=2002-01-01&date_to=2001-01-01`, { waitUntil: "networkidle" });
  await page.waitForSelector("body[data-state=ready] #page-error");
  check(await page.locator("#filters").count() === 1 && /before/.test(await page.locator("#page-error").textContent()),
        "a reversed date range is explained under the filter bar");
  await Promise.all([page.waitForURL(u => new URL(u).search === ""), page.click("#reset")]);
  await page.waitForSelector("body[data-state=ready] #events-table tbody tr");
  check(true, "Reset brings the events back");
  const nope = await page.goto(`${BASE}/nope/such/page`, { waitUntil: "networkidle" });
  await page.waitForSelector("body[data-state=ready] #page-error");
  check(nope.status() === 404 && /No such page/.test(await page.locator("#page-error").textContent()) &&
        await page.locator("nav a[data-nav=events]").count() === 1, "an unknown path is a page that says so");

  // 9. evidence: status words, publication-date fallbacks, who asserts / denies
  let cueShown = false;
  for (const st of ["denied", "claimed", "asserted", "unconfirmed", "threatened", "intended"]) {
    const evs = (await (await page.request.get(`${BASE}/api/events?status=${st}&limit=10`)).json()).items;
    for (const e of evs) {
      const d = await (await page.request.get(`${BASE}/api/events/${e.event_key}`)).json();
      if (!d.evidence.spans.some(x => x.role === "cue")) continue;
      await page.goto(`${BASE}/events/${e.event_key}`, { waitUntil: "networkidle" });
      await page.waitForSelector("body[data-state=ready] #snippet");
      cueShown = await page.locator("#snippet .hl.r-cue").count() > 0;
      break;
    }
    if (cueShown) break;
  }
  check(cueShown, "an event page highlights the words that set its status");
  const fb = (await (await page.request.get(`${BASE}/api/events?limit=500`)).json()).items.find(e => e.date_is_publication_date);
  if (fb) {
    await page.goto(`${BASE}/events/${fb.event_key}`, { waitUntil: "networkidle" });
    await page.waitForSelector("body[data-state=ready] .kv");
    check(/publication date/.test(await page.locator(".kv").textContent()), "a publication-date fallback is shown as such");
  }
  const contested = (await (await page.request.get(`${BASE}/api/clusters?contested=true&limit=1`)).json()).items[0];
  if (contested) {
    await page.goto(`${BASE}/clusters/${contested.cluster_id}`, { waitUntil: "networkidle" });
    await page.waitForSelector("body[data-state=ready] #positions");
    check((await page.locator("#asserts").textContent()).length > 0 && (await page.locator("#denies").textContent()).length > 0,
          "a contested cluster says who asserts and who denies");
  } else console.log("(no contested cluster in this database)");

  // 10. a phone: no page wider than 390 px
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
  const mp = await phone.newPage();
  const anyEvent = want.items[0];
  for (const path of ["/", "/articles", "/clusters", "/docs", anyEvent.links.article, anyEvent.links.html, "/?date_from=2002-01-01&date_to=2001-01-01"]) {
    await mp.goto(BASE + path, { waitUntil: "networkidle" });
    await mp.waitForSelector("body[data-state=ready]");
    const w = await mp.evaluate(() => document.documentElement.scrollWidth);
    check(w <= 390, `${path.slice(0, 40)} fits a 390 px phone (${w} px)`);
  }
  await phone.close();

  // 11. the other pages render
  for (const [path, sel] of [["/articles", "#articles-table tbody tr"], ["/clusters", "#clusters-table tbody tr"], ["/docs", ".op"]]) {
    await page.goto(BASE + path, { waitUntil: "networkidle" });
    await page.waitForSelector(`body[data-state=ready] ${sel}`, { timeout: 20000 });
    check(true, `${path} renders`);
  }
  const returnsText = await page.locator(".op .returns").allTextContents();
  check(returnsText.some(t => t.includes("EventList")), `the API docs name each response model (${returnsText.length})`);
} catch (e) {
  failed++;
  console.log(`FAIL ${e && e.stack || e}`);
} finally {
  await browser.close();
}
for (const p of problems) { failed++; console.log(`FAIL ${p}`); }
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
