/* eventwire web UI. Plain JS, no dependencies, no network beyond this server.
 *
 * Safety rule of this file: every piece of data goes into the page as a text node or an
 * attribute value set through the DOM (textContent / setAttribute); nothing is ever parsed as
 * HTML. Links built from data only accept http(s) URLs or our own paths.
 */
(function () {
  "use strict";

  const STATUSES = ["asserted", "claimed", "unconfirmed", "denied", "negated", "threatened",
                    "intended", "hypothetical", "historical"];
  const TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                 "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
  const ROLES = [["trigger", "trigger (coloured by status)"], ["mention", "another mention of it"],
                 ["actor", "who"], ["recipient", "whom"], ["place", "where"], ["date", "when"],
                 ["source", "on whose word"], ["cue", "words that set its status"]];
  const SVGNS = "http://www.w3.org/2000/svg";
  const main = document.getElementById("main");

  // ------------------------------------------------------------------------------------------
  // DOM helpers (text only)

  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    append(el, kids);
    return el;
  }
  function s(tag, attrs, ...kids) {
    const el = document.createElementNS(SVGNS, tag);
    setAttrs(el, attrs);
    append(el, kids);
    return el;
  }
  function setAttrs(el, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.setAttribute("class", v);
      else if (k === "text") el.textContent = String(v);
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.assign(el.dataset, v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  function append(el, kids) {
    for (const k of kids.flat(Infinity)) {
      if (k === null || k === undefined || k === false) continue;
      el.appendChild(k instanceof Node ? k : document.createTextNode(String(k)));
    }
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }
  function safeHref(u) {
    if (typeof u !== "string") return null;
    if (u.startsWith("/") && !u.startsWith("//")) return u;
    try { const p = new URL(u); return (p.protocol === "http:" || p.protocol === "https:") ? p.href : null; }
    catch (e) { return null; }
  }
  function link(href, ...kids) { return h("a", { href: safeHref(href) || "#" }, ...kids); }
  function chip(status) {
    const st = STATUSES.includes(status) ? status : "unknown";
    return h("span", { class: `chip st-${st}`, text: status || "?" });
  }
  function fmt(n) { return n === null || n === undefined ? "–" : Number(n).toLocaleString("en"); }
  function enc(x) { return encodeURIComponent(x); }
  function plural(n, one, many) { return `${fmt(n)} ${n === 1 ? one : (many || one + "s")}`; }

  let META = null, NAMES = {};
  function cname(code) { return code ? (NAMES[code] || code) : null; }

  async function api(url) {
    const r = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" });
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok) {
      let msg = `${r.status} ${r.statusText}`;
      const d = body && body.detail;
      if (typeof d === "string") msg += `: ${d}`;
      else if (Array.isArray(d)) msg += ": " + d.map(x => `${(x.loc || []).slice(-1)[0]}: ${x.msg}`).join("; ");
      const err = new Error(msg); err.status = r.status; throw err;
    }
    return body;
  }
  async function meta() {
    if (!META) {
      META = await api("/api/meta");
      for (const c of META.countries) NAMES[c.key] = c.name;
      const fc = document.getElementById("foot-counts");
      if (fc) fc.textContent = `${plural(META.counts.articles, "article")}, ${plural(META.counts.events, "event")}, ${plural(META.counts.clusters, "cluster")}`;
    }
    return META;
  }
  function showError(e, where) {
    (where || main).appendChild(h("p", { class: "error", role: "alert", text: String(e.message || e) }));
  }
  function setTwin(url) {
    const a = document.getElementById("json-twin");
    if (a) a.setAttribute("href", safeHref(url) || "/api");
  }
  function setNav(which) {
    for (const a of document.querySelectorAll("[data-nav]")) a.classList.toggle("active", a.dataset.nav === which);
  }
  function legend() {
    return h("div", { class: "legend", "aria-label": "status colours" },
      STATUSES.map(st => h("span", { class: `item st-${st}` }, h("span", { class: "sw" }), st)));
  }
  function actorText(a) {
    if (!a) return null;
    const name = a.name || a.text;
    const label = a.country && !String(name || "").includes(a.country) ? `${name} (${a.country})` : name;
    return a.inferred_from ? `${label} [inferred from the ${a.inferred_from}]` : label;
  }
  function actorsText(list) { return (list || []).map(actorText).filter(Boolean).join(", "); }
  function whoWhom(ev) {
    const who = actorsText(ev.actors), whom = actorsText(ev.recipients);
    return h("span", null, h("span", { class: "who", text: who || "—" }),
      whom ? [h("span", { class: "arrow-sep", text: "→" }), h("span", { text: whom })] : null);
  }
  function place(ev) {
    const l = ev.location;
    if (!l) return "—";
    return [l.name || l.text, l.country ? ` (${l.country})` : "",
            l.inferred_from ? ` [inferred from the ${l.inferred_from}]` : ""].join("");
  }
  // a place the text names for the event, or only the story's (dateline/focus): the event
  // table shows the second in italics with a "story" tag, so it is never read as stated
  function placeCell(ev) {
    const l = ev.location;
    if (!l) return h("td", { text: "—" });
    const name = [l.name || l.text, l.country ? ` (${l.country})` : ""].join("");
    if (!l.inferred_from) return h("td", { class: "place", text: name });
    return h("td", { class: "place inferred", title: `the text names no place for this event; this is the ${l.inferred_from}'s place` },
      h("span", { text: name }), h("span", { class: "tag", text: l.inferred_from }));
  }
  function dateText(d) {
    if (!d) return "—";
    const when = d.earliest && d.latest && d.earliest !== d.latest ? `${d.earliest} – ${d.latest}` : (d.earliest || "—");
    // no date in the text: the record carries the article's publication date
    return d.text === null && d.earliest ? `${when} (publication date)` : when;
  }

  // ------------------------------------------------------------------------------------------
  // router

  const routes = [
    [/^\/$/, pageHome],
    [/^\/articles\/?$/, pageArticles],
    [/^\/articles\/(.+)$/, pageArticle],
    [/^\/events\/(\d+)$/, pageEvent],
    [/^\/clusters\/?$/, pageClusters],
    [/^\/clusters\/(\d+)$/, pageCluster],
    [/^\/docs\/?$/, pageDocs],
  ];
  let GEN = 0;
  const STALE = new Error("stale");
  function start(tok) {            // a page starts drawing: only if no newer navigation happened
    if (tok !== GEN) throw STALE;
    return clear(main);
  }
  async function route() {
    const tok = ++GEN;
    document.body.dataset.state = "loading";
    const path = location.pathname;
    for (const [re, fn] of routes) {
      const m = path.match(re);
      if (m) {
        try { await fn(tok, ...m.slice(1).map(decodeURIComponent)); }
        catch (e) { if (e === STALE || tok !== GEN) return; errorPage(e, null); }
        if (tok === GEN) document.body.dataset.state = "ready";
        return;
      }
    }
    errorPage(new Error(`No such page: ${path}. The pages are Events, Articles, Clusters and API (above).`), null);
    document.body.dataset.state = "ready";
  }
  window.addEventListener("popstate", route);
  document.addEventListener("DOMContentLoaded", () => { meta().catch(() => null); route(); });

  // ------------------------------------------------------------------------------------------
  // home: filters, map, timeline, breakdowns, event table

  // Every filter is multi-valued: the URL holds `?status=claimed,denied` (or repeated keys),
  // the bar shows every value selected, and Apply writes them back comma-separated.
  // [key, label, kind, options?, advanced?] — kind: enum (multi-select), text (comma list), date, number
  const FILTERS = [
    ["type", "Type", "enum", () => TYPES.map(t => [t, t.toLowerCase()])],
    ["status", "Status", "enum", () => STATUSES.map(t => [t, t])],
    ["country", "Country (any role)", "enum", m => countryOptions(m)],
    ["place", "Place", "text", null, false, "names, comma-separated"],
    ["date_from", "From", "date"],
    ["date_to", "To", "date"],
    ["q", "Search", "search", null, false, "words, names, places…"],
    ["mode", "Mode", "enum", m => (m.modes || []).map(x => [x.key, `${x.key} (${x.events})`]), true],
    ["location_country", "Event in (country)", "enum", m => countryOptions(m), true],
    ["actor_country", "Actor country", "enum", m => countryOptions(m), true],
    ["recipient_country", "Recipient country", "enum", m => countryOptions(m), true],
    ["actor", "Actor name", "text", null, true, "e.g. army, Hamas"],
    ["recipient", "Recipient name", "text", null, true, "e.g. police"],
    ["published_from", "Published from", "date", null, true],
    ["published_to", "Published to", "date", null, true],
    ["min_confidence", "Min. confidence", "number", null, true, "0–1"],
  ];
  const FILTER_KEYS = FILTERS.map(f => f[0]);
  const PAGE_KEYS = { clusters: ["contested", "min_stories"], articles: ["outlet", "has_events"] };
  const NORMAL = { type: v => v.toUpperCase(), status: v => v.toLowerCase(), mode: v => v.toLowerCase(),
                   country: v => v.toUpperCase(), location_country: v => v.toUpperCase(),
                   actor_country: v => v.toUpperCase(), recipient_country: v => v.toUpperCase() };

  function countryOptions(m) {
    return m.countries.map(c => [c.key, `${c.name || c.key} (${c.events})`]).sort((a, b) => a[1].localeCompare(b[1]));
  }
  function currentParams() { return new URLSearchParams(location.search); }
  const SINGLE = new Set(["q", "date_from", "date_to", "published_from", "published_to", "min_confidence", "min_stories", "contested"]);
  function values(p, key) {                  // every value of a filter, from repeats and commas
    const norm = NORMAL[key] || (v => v);
    if (SINGLE.has(key)) return p.getAll(key).map(v => v.trim()).filter(Boolean).slice(-1);   // text: commas are text
    return p.getAll(key).flatMap(v => v.split(",")).map(v => v.trim()).filter(Boolean).map(norm);
  }
  function filterParams(p, extra) {          // the API query of the filters in `p`
    const out = new URLSearchParams();
    for (const k of FILTER_KEYS.concat(extra || [])) { const v = values(p, k); if (v.length) out.set(k, v.join(",")); }
    return out;
  }
  function go(params, replace) {
    const qs = params.toString().replace(/%2C/gi, ",");      // `status=claimed,denied`, readable
    const url = location.pathname + (qs ? "?" + qs : "");
    (replace ? history.replaceState : history.pushState).call(history, null, "", url);
    route();
  }
  function setFilter(key, value) {            // a click on a chart: that one value
    const p = currentParams();
    p.delete(key); p.delete("offset");
    if (value) p.set(key, value);
    go(p);
  }
  function withQuery(path, params) { const qs = params.toString().replace(/%2C/gi, ","); return qs ? `${path}?${qs}` : path; }

  function select(name, label, options, chosen, multiple) {
    const want = new Set(chosen || []);
    const sel = h("select", { name, id: `f-${name}`, multiple: !!multiple, size: multiple ? "3" : null },
      multiple ? null : h("option", { value: "", text: "any" }),
      options.map(([v, t]) => h("option", { value: v, text: t, selected: want.has(v) })));
    // a value in the URL that the list does not offer stays selectable (and is kept on Apply)
    for (const v of want) if (!options.some(o => o[0] === v)) sel.appendChild(h("option", { value: v, text: v, selected: true }));
    const count = h("span", { class: "count", text: multiple && want.size ? ` · ${want.size} chosen` : "" });
    if (multiple) sel.addEventListener("change", () => { const n = sel.selectedOptions.length; count.textContent = n ? ` · ${n} chosen` : ""; });
    return h("label", { for: `f-${name}`, title: multiple ? "Ctrl/Cmd-click to choose several" : null }, h("span", null, label, count), sel);
  }
  function input(name, label, type, value, extra) {
    return h("label", { for: `f-${name}` }, label,
      h("input", Object.assign({ name, id: `f-${name}`, type, value: value || "" }, extra || {})));
  }
  function control(m, p, [key, label, kind, opts, , hint]) {
    const vals = values(p, key);
    if (kind === "enum") return select(key, label, opts(m), vals, true);
    if (kind === "date") return input(key, label, "date", vals[0]);
    if (kind === "number") return input(key, label, "number", vals[0], { min: "0", max: "1", step: "0.05", placeholder: hint });
    if (kind === "search") return input(key, label, "search", vals[0], { placeholder: hint, maxlength: "200" });
    // text lists: place ids (from map clicks) are kept as tags, names are edited here
    const shown = key === "place" ? vals.filter(v => !/^\d+$/.test(v)) : vals;
    return input(key, label, "text", shown.join(", "), { placeholder: hint, maxlength: "400" });
  }

  // The filter bar of every list page: the shared filters, the page's own ones, Apply, Reset,
  // and the downloads of what it shows.
  function filterBar(m, p, opts) {
    opts = opts || {};
    const basic = FILTERS.filter(f => !f[4]), more = FILTERS.filter(f => f[4]);
    const moreSet = more.some(f => values(p, f[0]).length);
    const form = h("form", { class: "filters card", id: "filters", role: "search" },
      h("div", { class: "fields" }, basic.map(f => control(m, p, f)), (opts.own || []).map(f => f(p))),
      h("details", { class: "more", open: moreSet }, h("summary", { text: "More filters" }),
        h("div", { class: "fields" }, more.map(f => control(m, p, f)))),
      placeTags(p, opts.placeNames || {}),
      h("div", { class: "actions" },
        h("button", { class: "btn", type: "submit", id: "apply", text: "Apply" }),
        h("button", { class: "btn ghost", type: "button", id: "reset", text: "Reset",
                      onclick: () => go(new URLSearchParams()) }),
        opts.download ? downloads(opts.download) : null));
    form.addEventListener("submit", ev => {
      ev.preventDefault();
      const np = new URLSearchParams();
      for (const el of form.querySelectorAll("select, input")) {
        let vals;
        if (el.tagName === "SELECT") vals = Array.from(el.selectedOptions).map(o => o.value).filter(Boolean);
        else vals = el.value.split(el.type === "text" ? "," : /\u0000/).map(v => v.trim()).filter(Boolean);
        if (el.name === "place") vals = vals.concat(values(currentParams(), "place").filter(v => /^\d+$/.test(v)));
        if (vals.length) np.set(el.name, vals.join(","));
      }
      const keep = currentParams();
      for (const k of ["sort", "view"]) if (keep.get(k)) np.set(k, keep.get(k));
      go(np);
    });
    return form;
  }
  function placeTags(p, names) {
    const ids = values(p, "place").filter(v => /^\d+$/.test(v));
    if (!ids.length) return null;
    return h("div", { class: "chips-active", id: "place-tags" }, ids.map(id => h("span", { class: "tag" },
      `place: ${names[id] || "GeoNames " + id} `,
      h("a", { href: "#", "aria-label": "remove this place", text: "×", onclick: e => {
        e.preventDefault();
        const np = currentParams();
        const rest = values(np, "place").filter(v => v !== id);
        np.delete("place"); np.delete("offset");
        if (rest.length) np.set("place", rest.join(","));
        go(np);
      } }))));
  }
  function downloads(url) {                  // url: the list's API URL (with its query)
    const sep = url.includes("?") ? "&" : "?";
    return h("span", { class: "downloads", id: "downloads" }, "Download ",
      h("a", { href: safeHref(`${url}${sep}format=csv`), id: "download-csv", download: "", text: "CSV" }), " · ",
      h("a", { href: safeHref(`${url}${sep}format=jsonl`), id: "download-jsonl", download: "", text: "JSON Lines" }));
  }

  // A page whose data could not be loaded (a bad filter, a missing record): the error inside
  // the page, under the filter bar when the page has one, with a way back.
  function errorPage(e, withBar) {
    clear(main);
    if (withBar && META) main.appendChild(filterBar(META, currentParams(), withBar));
    main.appendChild(h("div", { class: "error", role: "alert", id: "page-error" },
      h("div", { text: String(e.message || e) }),
      h("div", { class: "row" },
        withBar ? h("button", { class: "btn ghost", type: "button", text: "Reset filters", onclick: () => go(new URLSearchParams()) }) : null,
        h("a", { href: "/", text: "Back to all events" }))));
  }

  async function pageHome(tok) {
    setNav("events");
    const p = currentParams();
    const fp = filterParams(p);
    const fq = fp.toString();
    const view = p.get("view") === "clusters" ? "clusters" : "events";
    const sort = p.get("sort") || (view === "clusters" ? "-stories" : "-date");
    const offset = Math.max(0, parseInt(p.get("offset") || "0", 10) || 0);
    const listUrl = withQuery(`/api/${view}`, new URLSearchParams([...fp, ["sort", sort]]));
    setTwin(`${listUrl}&offset=${offset}`);
    const m = await meta();
    let evs, tl, byType, byStatus, pts, byCountry;
    try {
      [evs, tl, byType, byStatus, pts, byCountry] = await Promise.all([
        api(`${listUrl}&limit=50&offset=${offset}`),
        api(`/api/stats/timeline?${fq}&interval=auto`),
        api(`/api/stats/type?${fq}`),
        api(`/api/stats/status?${fq}`),
        api(`/api/map?${fq}`),
        api(`/api/stats/country?${fq}&limit=500`),
      ]);
    } catch (e) {
      if (tok !== GEN) throw STALE;
      errorPage(e, { download: null });
      return;
    }
    const world = await worldShapes();
    start(tok);
    const placeNames = Object.fromEntries(pts.items.filter(x => x.geonameid).map(x => [String(x.geonameid), x.name]));
    main.appendChild(filterBar(m, p, { download: listUrl, placeNames }));
    const located = pts.items.reduce((a, x) => a + x.events, 0);
    const sp = tl.span || {};
    main.appendChild(h("div", { class: "summary", id: "summary" },
      stat(view === "events" ? evs.total : null, "events", "sum-events"), stat(byCountry.distinct, "countries"),
      stat(pts.total, "places on the map"), stat(located, "located events"),
      stat(sp.from ? (sp.from.slice(0, 4) === (sp.to || "").slice(0, 4) ? sp.from.slice(0, 4) : `${sp.from.slice(0, 4)}–${(sp.to || "").slice(0, 4)}`) : "–", "event dates")));
    const mapCard = h("section", { class: "card", id: "map-card" },
      h("div", { class: "spread" }, h("h2", { text: "Where" }), legend()),
      drawMap(world, pts, byCountry, p),
      h("div", { class: "map-note", text: "Circles: events per place (area), coloured by their most frequent status; countries shaded by the events that involve them (an actor, a recipient or the place). Hollow dashed circles: places no event text names, only its story (dateline or main place). Click to filter; scroll to zoom, drag to pan." }));
    const what = h("section", { class: "card" }, h("h2", { text: "What (event type)" }),
      h("div", { class: "cols2" },
        hbars(byType.items.slice(0, 8).map(x => [x.key, x.events, x.key ? x.key.toLowerCase() : "—"]), k => setFilter("type", k), false, byType.items[0]),
        hbars(byType.items.slice(8, 16).map(x => [x.key, x.events, x.key ? x.key.toLowerCase() : "—"]), k => setFilter("type", k), false, byType.items[0])));
    const span = timelineSpan(m, p, tl);
    const clipped = clipTimeline(tl, span);
    const right = h("div", { class: "stack" },
      h("section", { class: "card", id: "timeline-card" },
        h("div", { class: "spread" }, h("h2", { text: `When (events per ${tl.interval})` }),
          h("span", { class: "small muted", text: [clipped.before ? `${plural(clipped.before, "earlier event")} (before ${span.lo.slice(0, 4)}) not drawn` : null,
                                                  tl.undated ? `${tl.undated} undated` : null].filter(Boolean).join(" · ") })),
        drawTimeline(clipped, span)),
      h("section", { class: "card" }, h("h2", { text: "How sure (status)" }),
        hbars(byStatus.items.map(x => [x.key, x.events, x.key || "—"]), k => setFilter("status", k), true)),
      h("section", { class: "card" }, h("h2", { text: "Countries (events involving each)" }),
        hbars(byCountry.items.filter(x => x.key).slice(0, 6).map(x => [x.key, x.events, cname(x.key)]), k => setFilter("country", k))));
    main.appendChild(h("div", { class: "grid" }, h("div", { class: "stack" }, mapCard, what), right));
    main.appendChild(view === "clusters" ? clusterTable(evs, sort, true) : eventTable(evs, p, sort));
  }

  function viewToggle(view) {
    const to = v => { const np = currentParams(); if (v === "events") np.delete("view"); else np.set("view", v); np.delete("sort"); np.delete("offset"); go(np); };
    return h("div", { class: "toggle", id: "view-toggle", role: "group", "aria-label": "table rows" },
      [["events", "Events (mentions)"], ["clusters", "Clusters (real-world events)"]].map(([v, label]) =>
        h("button", { type: "button", class: `btn ${v === view ? "" : "ghost"}`, "aria-pressed": String(v === view),
                      dataset: { view: v }, text: label, onclick: () => to(v) })));
  }

  function stat(n, label, id) {
    if (n === null) return null;
    return h("div", { id: id || null }, h("span", { class: "num", text: typeof n === "number" ? fmt(n) : n }),
      h("span", { class: "lbl", text: label }));
  }

  function hbars(items, onpick, byStatus, top) {
    const max = Math.max(1, top ? top.events : 0, ...items.map(x => x[1]));
    return h("div", { class: "hbars" }, items.slice(0, 16).map(([key, n, label]) => {
      const fill = h("div", { class: byStatus ? `fill st-${STATUSES.includes(key) ? key : "unknown"}` : "fill" });
      fill.style.width = `${(100 * n / max).toFixed(1)}%`;
      if (byStatus) fill.style.background = "var(--st)";
      return [h("span", { class: "k", title: `filter: ${label}`, text: label, onclick: () => key && onpick(key) }),
              h("div", { class: "track" }, fill), h("span", { class: "v", text: fmt(n) })];
    }));
  }

  // -- the event table
  function eventTable(evs, p, sort) {
    const cols = [["date", "Date"], ["type", "Type"], ["status", "Status"], ["actor", "Who → whom"],
                  ["place", "Where"], [null, "Trigger"], ["published", "Article"]];
    const head = h("tr", null, cols.map(([key, label]) => {
      if (!key) return h("th", { text: label });
      const cur = sort.replace(/^-/, "") === key;
      const desc = sort.startsWith("-");
      return h("th", { class: "sortable", title: `sort by ${label.toLowerCase()}`,
                       onclick: () => { const q = currentParams(); q.set("sort", cur && !desc ? `-${key}` : key); q.delete("offset"); go(q); } },
        label, cur ? h("span", { class: "arrow", text: desc ? " ▾" : " ▴" }) : null);
    }));
    const body = h("tbody", null, evs.items.map(ev => h("tr", { class: "event-row" },
      h("td", { class: "mono" }, link(ev.links.html, ev.event_date || "—"),
        ev.date_is_publication_date ? h("div", { class: "small muted", text: "publication date" }) : null),
      h("td", null, h("strong", { text: ev.type }), ev.mode ? h("div", { class: "small muted", text: ev.mode }) : null),
      h("td", null, chip(ev.status)),
      h("td", null, whoWhom(ev), ev.attributed_to ? h("div", { class: "small muted", text: `according to ${actorText(ev.attributed_to)}` }) : null),
      placeCell(ev),
      h("td", { class: "trig", text: ev.trigger && ev.trigger.text ? `“${ev.trigger.text}”` : "—" }),
      h("td", null, link(ev.links.article, ev.article.title || ev.article_id),
        h("div", { class: "small muted", text: [ev.article.date, ev.article.outlet].filter(Boolean).join(" · ") })))));
    return h("section", { class: "card", id: "events-card" },
      h("div", { class: "spread wrap" }, h("h2", { text: "Events" }), viewToggle("events"),
        h("span", { class: "small muted", text: `${fmt(evs.total)} matching` })),
      evs.items.length ? h("div", { class: "table-wrap" }, h("table", { class: "data", id: "events-table" }, h("thead", null, head), body))
                       : h("p", { class: "muted", text: "No event matches these filters." }),
      pager(evs));
  }

  // clusters: one row per real-world event (on the home page's toggle and on /clusters)
  function clusterTable(res, sort, toggle) {
    const cols = [["date", "Date"], ["type", "Type"], ["status", "Status"], [null, "Who → whom"], [null, "Where"],
                  ["stories", "Stories"], ["sources", "Sources"], ["events", "Mentions"]];
    return h("section", { class: "card", id: "clusters-card" },
      h("div", { class: "spread wrap" }, h("h2", { text: "Clusters: one real-world event, reported in one or more stories" }),
        toggle ? viewToggle("clusters") : null,
        h("span", { class: "small muted", text: `${fmt(res.total)} matching` })),
      res.items.length ? h("div", { class: "table-wrap" }, h("table", { class: "data", id: "clusters-table" },
        h("thead", null, h("tr", null, cols.map(([k, label]) => k ? h("th", { class: "sortable",
          onclick: () => { const np = currentParams(); np.set("sort", sort === `-${k}` ? k : `-${k}`); np.delete("offset"); go(np); } },
          label, sort.replace(/^-/, "") === k ? h("span", { class: "arrow", text: sort.startsWith("-") ? " ▾" : " ▴" }) : null) : h("th", { text: label })))),
        h("tbody", null, res.items.map(c => h("tr", { class: "cluster-row" },
          h("td", { class: "mono" }, link(c.links.html, c.event_date || "—"),
            c.publication_dated ? h("div", { class: "small muted", text: "publication date" }) : null),
          h("td", null, h("strong", { text: c.type || "?" }), c.mode ? h("div", { class: "small muted", text: c.mode }) : null),
          h("td", null, (c.statuses || [c.status]).map(chip), c.contested ? h("div", { class: "small bad", text: "contested" }) : null),
          h("td", null, h("span", { class: "who", text: c.actor1_name || "—" }), c.actor2_name ? [h("span", { class: "arrow-sep", text: "→" }), c.actor2_name] : null),
          h("td", { text: c.location_name ? `${c.location_name}${c.location_country ? ` (${cname(c.location_country)})` : ""}` : "—" }),
          h("td", { class: "num", text: fmt(c.n_stories) }), h("td", { class: "num", text: fmt(c.n_sources) }),
          h("td", { class: "num", text: fmt(c.n_events) }))))))
        : h("p", { class: "muted", text: "No cluster matches these filters." }),
      pager(res));
  }

  function pager(res) {
    const from = res.total ? res.offset + 1 : 0, to = Math.min(res.total, res.offset + res.limit);
    const move = off => { const q = currentParams(); q.set("offset", String(off)); go(q); };
    return h("div", { class: "pager" },
      h("span", { text: `${fmt(from)}–${fmt(to)} of ${fmt(res.total)}` }),
      h("button", { class: "btn ghost", type: "button", disabled: res.offset <= 0, text: "‹ Prev",
                    onclick: () => move(Math.max(0, res.offset - res.limit)) }),
      h("button", { class: "btn ghost", type: "button", disabled: res.offset + res.limit >= res.total, text: "Next ›",
                    onclick: () => move(res.offset + res.limit) }));
  }

  // -- map: equirectangular projection of countryinfo's Natural Earth outlines
  let WORLD = null;
  async function worldShapes() {
    if (!WORLD) { try { WORLD = await api("/api/world"); } catch (e) { WORLD = { features: [] }; } }
    return WORLD;
  }
  const MAP_W = 960, MAP_H = 440, LAT_TOP = 84, LAT_BOTTOM = -58;
  function proj(lon, lat) {
    return [(lon + 180) / 360 * MAP_W, (LAT_TOP - lat) / (LAT_TOP - LAT_BOTTOM) * MAP_H];
  }
  function ringPath(ring) {
    let d = "";
    ring.forEach(([lon, lat], i) => { const [x, y] = proj(lon, lat); d += (i ? "L" : "M") + x.toFixed(1) + " " + y.toFixed(1); });
    return d + "Z";
  }
  function drawMap(world, pts, byCountry, p) {
    const counts = {};
    for (const it of byCountry.items) if (it.key) counts[it.key] = it.events;
    const maxC = Math.max(1, ...Object.values(counts));
    const sel = p.get("country") || p.get("location_country");
    const svg = s("svg", { class: "map", id: "map", viewBox: `0 0 ${MAP_W} ${MAP_H}`, role: "img",
                           "aria-label": "map of event locations" });
    const g = s("g", { class: "layer" });
    for (let lon = -180; lon <= 180; lon += 30) {
      const [x] = proj(lon, 0); g.appendChild(s("line", { class: "grat", x1: x, x2: x, y1: 0, y2: MAP_H }));
    }
    for (let lat = -30; lat <= 60; lat += 30) {
      const [, y] = proj(0, lat); g.appendChild(s("line", { class: "grat", x1: 0, x2: MAP_W, y1: y, y2: y }));
    }
    for (const f of world.features || []) {
      const code = f.id, n = counts[code] || 0;
      const d = (f.geometry.coordinates || []).map(poly => poly.map(ringPath).join("")).join("");
      let cls = "land";
      if (n) cls += n / maxC > 0.5 ? " has3" : n / maxC > 0.2 ? " has2" : " has";
      if (sel && sel === code) cls += " sel";
      const name = (f.properties && f.properties.name) || code;
      g.appendChild(s("path", { class: cls, d, dataset: { country: code },
                                onclick: () => { if (!moved) setFilter("country", code); } },
        s("title", { text: `${name}${n ? `: ${plural(n, "event")} located here` : ""} — click to filter` })));
    }
    const maxP = Math.max(1, ...pts.items.map(x => x.events));
    const ptsG = s("g", { class: "points" });
    // biggest first so small circles stay clickable on top
    for (const pt of pts.items.slice().sort((a, b) => b.events - a.events)) {
      const [x, y] = proj(pt.lon, pt.lat);
      const top = Object.entries(pt.by_status).sort((a, b) => b[1] - a[1])[0][0];
      const r = 3 + 9 * Math.sqrt(pt.events / maxP);
      const detail = Object.entries(pt.by_status).map(([k, v]) => `${k} ${v}`).join(", ");
      // a place only stories point to (no event there names it) is drawn hollow and dashed
      const inferred = pt.inferred || 0;
      const how = inferred >= pt.events ? " pt-inferred" : "";
      const note = inferred ? `; ${inferred === pt.events ? "all" : inferred} placed here only by their story` : "";
      ptsG.appendChild(s("circle", { class: `pt st-${STATUSES.includes(top) ? top : "unknown"}${how}`, cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1),
                                     dataset: { place: pt.name || "", r: r.toFixed(2) },
                                     onclick: () => { if (!moved) setFilter("place", pt.geonameid ? String(pt.geonameid) : pt.name); } },
        s("title", { text: `${pt.name || "?"}${pt.country ? ` (${cname(pt.country)})` : ""}: ${plural(pt.events, "event")} (${detail}${note})` })));
    }
    g.appendChild(ptsG);
    svg.appendChild(g);
    // zoom & pan by changing the viewBox; circles keep their screen size
    let vb = [0, 0, MAP_W, MAP_H], moved = false, drag = null;
    const apply = () => {
      svg.setAttribute("viewBox", vb.map(v => v.toFixed(2)).join(" "));
      const k = vb[2] / MAP_W;
      for (const c of ptsG.children) c.setAttribute("r", (parseFloat(c.dataset.r) * Math.max(k, 0.15)).toFixed(2));
    };
    const zoom = (factor, cx, cy) => {
      const w = Math.min(MAP_W, Math.max(MAP_W / 24, vb[2] * factor));
      const hgt = w * MAP_H / MAP_W;
      const fx = cx === undefined ? 0.5 : cx, fy = cy === undefined ? 0.5 : cy;
      const px = vb[0] + vb[2] * fx, py = vb[1] + vb[3] * fy;
      vb = [clamp(px - w * fx, 0, MAP_W - w), clamp(py - hgt * fy, 0, MAP_H - hgt), w, hgt];
      apply();
    };
    svg.addEventListener("wheel", e => {
      e.preventDefault();
      const b = svg.getBoundingClientRect();
      zoom(e.deltaY > 0 ? 1.25 : 0.8, (e.clientX - b.left) / b.width, (e.clientY - b.top) / b.height);
    }, { passive: false });
    svg.addEventListener("pointerdown", e => { drag = { x: e.clientX, y: e.clientY, vb: vb.slice() }; moved = false; });
    svg.addEventListener("pointermove", e => {
      if (!drag) return;
      const b = svg.getBoundingClientRect();
      const dx = (e.clientX - drag.x) / b.width * vb[2], dy = (e.clientY - drag.y) / b.height * vb[3];
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 4) { moved = true; svg.classList.add("dragging"); }
      if (moved) { vb = [clamp(drag.vb[0] - dx, 0, MAP_W - vb[2]), clamp(drag.vb[1] - dy, 0, MAP_H - vb[3]), vb[2], vb[3]]; apply(); }
    });
    const end = () => { drag = null; svg.classList.remove("dragging"); setTimeout(() => { moved = false; }, 0); };
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointerleave", end);
    // start zoomed to the points when they are all in one region
    if (pts.items.length) {
      const xs = pts.items.map(x => proj(x.lon, x.lat)[0]), ys = pts.items.map(x => proj(x.lon, x.lat)[1]);
      const w = Math.max(...xs) - Math.min(...xs), hh = Math.max(...ys) - Math.min(...ys);
      if (w < MAP_W / 4 && hh < MAP_H / 4) {
        const cx = (Math.max(...xs) + Math.min(...xs)) / 2 / MAP_W, cy = (Math.max(...ys) + Math.min(...ys)) / 2 / MAP_H;
        const factor = Math.max(1 / 6, Math.max(w / MAP_W, hh / MAP_H) * 2.5);
        const ww = MAP_W * factor, hh2 = MAP_H * factor;
        vb = [clamp(cx * MAP_W - ww / 2, 0, MAP_W - ww), clamp(cy * MAP_H - hh2 / 2, 0, MAP_H - hh2), ww, hh2];
        apply();
      }
    }
    const tools = h("div", { class: "map-tools" },
      h("button", { type: "button", title: "zoom in", text: "+", onclick: () => zoom(0.6) }),
      h("button", { type: "button", title: "zoom out", text: "−", onclick: () => zoom(1.6) }),
      h("button", { type: "button", title: "whole world", text: "⤢", onclick: () => { vb = [0, 0, MAP_W, MAP_H]; apply(); } }));
    return h("div", { class: "map-wrap" }, svg, tools);
  }
  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }

  // -- timeline: stacked bars by status, gaps filled, over the span the server reports: the
  // filter's dates, else the matching events' (long-past events are counted, not drawn)
  function timelineSpan(m, p, tl) {
    const sp = (tl && tl.span) || {};
    const hi = sp.to || (m.event_dates && m.event_dates.max) || new Date().toISOString().slice(0, 10);
    const lo = sp.from || hi;
    return { lo, hi, interval: tl ? tl.interval : "month" };
  }
  function clipTimeline(tl, span) {
    const keep = tl.buckets.filter(b => periodEnd(b.period, tl.interval) >= span.lo);
    const before = tl.buckets.filter(b => periodEnd(b.period, tl.interval) < span.lo).reduce((a, b) => a + b.events, 0);
    return Object.assign({}, tl, { buckets: keep, before });
  }
  function nextPeriod(d, interval) {
    const t = new Date(d + "T00:00:00Z");
    if (interval === "day") t.setUTCDate(t.getUTCDate() + 1);
    else if (interval === "week") t.setUTCDate(t.getUTCDate() + 7);
    else if (interval === "month") t.setUTCMonth(t.getUTCMonth() + 1);
    else t.setUTCFullYear(t.getUTCFullYear() + 1);
    return t.toISOString().slice(0, 10);
  }
  function periodEnd(d, interval) {
    const t = new Date(nextPeriod(d, interval) + "T00:00:00Z");
    t.setUTCDate(t.getUTCDate() - 1);
    return t.toISOString().slice(0, 10);
  }
  function periodStart(d, interval) {
    const t = new Date(d + "T00:00:00Z");
    if (interval === "week") t.setUTCDate(t.getUTCDate() - ((t.getUTCDay() + 6) % 7));     // ISO weeks start on Monday
    else if (interval === "month") t.setUTCDate(1);
    else if (interval === "year") { t.setUTCMonth(0); t.setUTCDate(1); }
    return t.toISOString().slice(0, 10);
  }
  function niceTicks(max) {                  // whole numbers only: 0, a middle one, the top
    const ticks = new Set([0, max]);
    if (max >= 4) ticks.add(Math.round(max / 2));
    return Array.from(ticks).sort((a, b) => a - b);
  }
  function drawTimeline(tl, span) {
    const W = 560, H = 190, L = 30, B = 22, T = 8;
    const svg = s("svg", { class: "timeline", id: "timeline", viewBox: `0 0 ${W} ${H}`, role: "img",
                           "aria-label": `events per ${tl.interval}` });
    if (!tl.buckets.length) {
      svg.appendChild(s("text", { x: W / 2, y: H / 2, "text-anchor": "middle", text: "no dated events" }));
      return svg;
    }
    const byPeriod = Object.fromEntries(tl.buckets.map(b => [b.period, b]));
    const periods = [];
    let d = periodStart(span.lo < tl.buckets[0].period ? span.lo : tl.buckets[0].period, tl.interval);
    const lastBucket = tl.buckets[tl.buckets.length - 1].period;
    const last = span.hi > lastBucket ? span.hi : lastBucket;
    while (d <= last && periods.length < 2000) { periods.push(d); d = nextPeriod(d, tl.interval); }
    const max = Math.max(1, ...tl.buckets.map(b => b.events));
    const bw = (W - L - 4) / periods.length;
    const y = v => T + (H - T - B) * (1 - v / max);
    svg.appendChild(s("line", { class: "axis", x1: L, x2: W, y1: H - B, y2: H - B }));
    for (const v of niceTicks(max)) {
      svg.appendChild(s("text", { class: "tick", x: L - 4, y: y(v) + 3, "text-anchor": "end", text: String(v) }));
      if (v) svg.appendChild(s("line", { class: "axis", x1: L, x2: W, y1: y(v), y2: y(v), "stroke-dasharray": "2 3", opacity: ".6" }));
    }
    const labelEvery = Math.max(1, Math.ceil(periods.length / 8));
    periods.forEach((per, i) => {
      const b = byPeriod[per];
      const x = L + 2 + i * bw;
      const g = s("g", { class: "bar", dataset: { period: per },
                         onclick: () => { const q = currentParams(); q.set("date_from", per); q.set("date_to", periodEnd(per, tl.interval)); q.delete("offset"); go(q); } });
      let acc = 0;
      if (b) {
        for (const st of STATUSES.concat(["unknown"])) {
          const n = b.by_status[st];
          if (!n) continue;
          g.appendChild(s("rect", { class: `seg st-${st}`, x: (x + bw * 0.1).toFixed(2), width: Math.max(0.8, bw * 0.8).toFixed(2),
                                    y: y(acc + n).toFixed(2), height: (y(acc) - y(acc + n)).toFixed(2) }));
          acc += n;
        }
        const pubDated = b.publication_dated ? `; ${b.publication_dated === b.events ? "all" : b.publication_dated} dated by publication date (the text gives no date)` : "";
        g.appendChild(s("title", { text: `${per}: ${plural(b.events, "event")} — ` +
          Object.entries(b.by_status).map(([k, v]) => `${k} ${v}`).join(", ") + pubDated + " (click to filter)" }));
        g.appendChild(s("rect", { x: x.toFixed(2), width: bw.toFixed(2), y: T, height: H - T - B, fill: "transparent" }));
      }
      svg.appendChild(g);
      if (i % labelEvery === 0) {
        const lbl = tl.interval === "year" ? per.slice(0, 4) : tl.interval === "month" ? per.slice(0, 7) : per.slice(5);
        svg.appendChild(s("text", { x: (x + bw / 2).toFixed(1), y: H - 6, "text-anchor": "middle", text: lbl }));
      }
    });
    return svg;
  }

  // ------------------------------------------------------------------------------------------
  // articles list

  async function pageArticles(tok) {
    setNav("articles");
    const p = currentParams();
    const sort = p.get("sort") || "-date";
    const offset = Math.max(0, parseInt(p.get("offset") || "0", 10) || 0);
    const qs = filterParams(p, PAGE_KEYS.articles);
    qs.set("sort", sort);
    const listUrl = withQuery("/api/articles", qs);
    setTwin(`${listUrl}&offset=${offset}`);
    const m = await meta();
    let res;
    try { res = await api(`${listUrl}&offset=${offset}&limit=50`); }
    catch (e) { if (tok !== GEN) throw STALE; errorPage(e, {}); return; }
    start(tok);
    main.appendChild(filterBar(m, p, { download: listUrl }));
    main.appendChild(h("p", { class: "small muted", text: "Search and publication dates apply to the story itself; every other filter keeps the stories with a matching event." }));
    const cols = [["date", "Published"], ["title", "Title"], ["outlet", "Outlet"], ["events", "Events"]];
    main.appendChild(h("section", { class: "card" },
      h("div", { class: "spread" }, h("h2", { text: "Articles" }), h("span", { class: "small muted", text: `${fmt(res.total)} matching` })),
      h("div", { class: "table-wrap" }, h("table", { class: "data", id: "articles-table" },
        h("thead", null, h("tr", null, cols.map(([k, label]) => h("th", { class: "sortable",
          onclick: () => { const np = currentParams(); np.set("sort", sort === k ? `-${k}` : k); np.delete("offset"); go(np); } },
          label, sort.replace(/^-/, "") === k ? h("span", { class: "arrow", text: sort.startsWith("-") ? " ▾" : " ▴" }) : null)))),
        h("tbody", null, res.items.map(a => h("tr", null,
          h("td", { class: "mono", text: a.date || "—" }),
          h("td", null, link(a.links.html, a.title || a.id), h("div", { class: "small muted mono", text: a.id })),
          h("td", { text: a.outlet || "—" }),
          h("td", { class: "num", text: fmt(a.n_events) })))))),
      pager(res)));
  }

  // ------------------------------------------------------------------------------------------
  // one article: text with every event's spans highlighted

  function highlightText(text, spans, opts) {
    // cut the text at every span boundary; each piece carries the roles covering it
    const good = spans.filter(x => x.ok && x.start >= 0 && x.end <= text.length && x.start < x.end);
    const cuts = new Set([0, text.length]);
    for (const x of good) { cuts.add(x.start); cuts.add(x.end); }
    const bounds = Array.from(cuts).sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let i = 0; i + 1 < bounds.length; i++) {
      const a = bounds[i], b = bounds[i + 1];
      const piece = text.slice(a, b);
      const cover = good.filter(x => x.start <= a && x.end >= b);
      if (!cover.length) { frag.appendChild(document.createTextNode(piece)); continue; }
      const roles = new Set(cover.map(x => x.role));
      const trig = cover.find(x => x.role === "trigger" || x.role === "mention" || x.role === "cue");
      const classes = ["hl"].concat(Array.from(roles).map(r => `r-${r}`));
      if (trig) classes.push(`st-${STATUSES.includes(trig.status) ? trig.status : "unknown"}`);
      const keys = Array.from(new Set(cover.map(x => x.event_key).filter(Boolean)));
      const title = cover.map(x => `${x.role}${x.type ? ` of ${x.type}` : ""}${x.status && x.role === "trigger" ? ` (${x.status})` : ""}${x.name && x.name !== x.text ? `: ${x.name}` : ""}`);
      const el = h("span", { class: classes.join(" "), title: Array.from(new Set(title)).join("\n"),
                             dataset: { events: keys.join(" "), roles: Array.from(roles).join(" ") }, text: piece });
      if (opts && opts.onpick && keys.length) el.addEventListener("click", () => opts.onpick(keys[0]));
      frag.appendChild(el);
    }
    return frag;
  }

  function roleLegend() {
    return h("div", { class: "role-legend", id: "role-legend" },
      ROLES.map(([r, label]) => h("span", { class: `hl r-${r}${["trigger", "mention", "cue"].includes(r) ? " st-asserted" : ""}`, text: label })));
  }

  function eventCard(ev, onfocus) {
    const st = STATUSES.includes(ev.status) ? ev.status : "unknown";
    const rows = [["who", actorsText(ev.actors)], ["whom", actorsText(ev.recipients)], ["where", ev.location ? place(ev) : null],
                  ["when", dateText(ev.date)], ["source", actorText(ev.attributed_to)],
                  ["size", ev.size && (ev.size.killed || ev.size.injured || ev.size.arrested) ?
                    [ev.size.killed ? `${ev.size.killed} killed` : null, ev.size.injured ? `${ev.size.injured} injured` : null,
                     ev.size.arrested ? `${ev.size.arrested} arrested` : null].filter(Boolean).join(", ") : null]];
    const card = h("div", { class: `ev st-${st}`, tabindex: "0", dataset: { key: ev.event_key } },
      h("div", { class: "head" }, chip(ev.status), h("span", { class: "type", text: ev.type }),
        ev.mode ? h("span", { class: "small muted", text: ev.mode }) : null,
        h("span", { class: "trig", text: ev.trigger && ev.trigger.text ? `“${ev.trigger.text}”` : "" }),
        h("a", { href: safeHref(ev.links.html), class: "small", text: "details", onclick: e => e.stopPropagation() })),
      h("dl", null, rows.filter(r => r[1]).map(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })])));
    card.addEventListener("mouseenter", () => onfocus(ev.event_key, false));
    card.addEventListener("mouseleave", () => onfocus(null, false));
    card.addEventListener("click", () => onfocus(ev.event_key, true));
    card.addEventListener("keydown", e => { if (e.key === "Enter") onfocus(ev.event_key, true); });
    return card;
  }

  async function pageArticle(tok, id) {
    setNav("articles");
    const twin = `/api/articles/${enc(id)}`;
    setTwin(twin);
    const a = await api(twin);
    document.title = `${a.title || a.id} · eventwire`;
    start(tok);
    const story = h("div", { class: "story", id: "story" });
    let pinned = null;
    const focus = (key, pin) => {
      if (pin) pinned = pinned === key ? null : key;
      const k = key || pinned;
      story.classList.toggle("focus", !!k);
      for (const el of story.querySelectorAll(".hl")) el.classList.toggle("on", !!k && el.dataset.events.split(" ").includes(k));
      for (const el of document.querySelectorAll(".ev")) el.classList.toggle("on", el.dataset.key === k);
    };
    story.appendChild(highlightText(a.text, a.spans, { onpick: key => {
      focus(key, true);
      const card = document.querySelector(`.ev[data-key="${key.replace(/[^0-9]/g, "")}"]`);
      if (card) card.scrollIntoView({ block: "nearest" });
    } }));
    const url = safeHref(a.url);
    const bad = a.spans.filter(x => !x.ok).length;
    main.appendChild(h("div", { class: "card", id: "article-head" },
      h("div", { class: "small muted mono", text: a.id }),
      h("h1", { id: "article-title", text: a.title || a.id }),
      h("div", { class: "meta" },
        h("span", { text: a.date ? `published ${a.date}` : "no publication date" }),
        a.outlet ? h("span", { text: a.outlet }) : null,
        url ? h("a", { href: url, rel: "noopener noreferrer nofollow", text: "original" }) : null,
        h("span", { text: plural(a.events.length, "event") }),
        h("a", { href: `/api/events?article=${enc(a.id)}`, text: "events as JSON" })),
      h("div", { class: "spread" }, roleLegend(), legend())));
    const list = h("div", { class: "evlist", id: "event-list" }, a.events.map(ev => eventCard(ev, focus)));
    main.appendChild(h("div", { class: "article-grid" },
      h("section", { class: "card" }, h("h2", { text: "Story" }), story,
        bad ? h("p", { class: "small muted", text: `${bad} span(s) do not match the text and are not highlighted.` }) : null),
      h("section", { class: "card" }, h("h2", { text: `Events (${a.events.length}) — hover or click one to focus its spans` }),
        a.events.length ? list : h("p", { class: "muted", text: "No event was coded from this story." }))));
  }

  // ------------------------------------------------------------------------------------------
  // one event with its evidence

  async function pageEvent(tok, key) {
    setNav("events");
    const twin = `/api/events/${enc(key)}`;
    setTwin(twin);
    const ev = await api(twin);
    await meta();
    start(tok);
    const sn = ev.evidence.snippet;
    const rel = ev.evidence.spans.filter(x => x.ok && x.start >= sn.start && x.end <= sn.end)
      .map(x => Object.assign({}, x, { start: x.start - sn.start, end: x.end - sn.start, status: ev.status, event_key: ev.event_key }));
    const snippet = h("div", { class: "snippet", id: "snippet" },
      sn.start > 0 ? "… " : "", highlightText(sn.text, rel), sn.end < ev.evidence.article_chars ? " …" : "");
    const mentions = (ev.evidence.mentions || []).map((mn, i) => h("li", { class: "mention" },
      h("span", { class: "small muted", text: i === 0 ? "first telling: " : `mention ${i + 1}: ` }),
      highlightText(mn.text, [{ role: i === 0 ? "trigger" : "mention", status: ev.status, event_key: ev.event_key, ok: true,
                                start: mn.start_in_text - mn.start, end: mn.end_in_text - mn.start }])));
    const kv = [["type", `${ev.type}${ev.mode ? ` (${ev.mode})` : ""}${ev.cameo ? ` · CAMEO ${ev.cameo}` : ""}`],
                ["status", chip(ev.status)], ["who", actorsText(ev.actors) || "—"], ["whom", actorsText(ev.recipients) || "—"],
                ["where", ev.location ? `${place(ev)}${ev.location.lat !== null && ev.location.lat !== undefined ? ` · ${ev.location.lat}, ${ev.location.lon}` : ""}` : "—"],
                ["when", dateText(ev.date) + (ev.date && ev.date.granularity ? ` (${ev.date.granularity})` : "")],
                ["on whose word", actorText(ev.attributed_to) || "—"],
                ["size", ev.size ? ["killed", "injured", "arrested"].filter(k => ev.size[k] !== null && ev.size[k] !== undefined).map(k => `${ev.size[k]} ${k}`).join(", ") || "—" : "—"],
                ["article", link(ev.links.article, ev.article.title || ev.article_id)],
                ["published", [ev.article.date, ev.article.outlet].filter(Boolean).join(" · ") || "—"],
                ["cluster", ev.cluster_id ? link(ev.links.cluster, `${ev.cluster ? plural(ev.cluster.n_events, "mention") + " in " + plural(ev.cluster.n_stories, "story", "stories") : ev.cluster_id}${ev.cluster && ev.cluster.contested ? " · contested" : ""}`) : "—"],
                ["event key", h("span", { class: "mono", text: ev.event_key })]];
    main.appendChild(h("div", { class: "card" },
      h("div", { class: "row" }, chip(ev.status), h("span", { class: "small muted mono", text: ev.event_key })),
      h("h1", { text: `${ev.type}: “${(ev.trigger && ev.trigger.text) || "?"}”` }),
      h("div", { class: "spread" }, roleLegend(), legend())));
    main.appendChild(h("div", { class: "article-grid" },
      h("section", { class: "card" }, h("h2", { text: "Evidence" }), snippet,
        mentions.length > 1 ? [h("h2", { text: `Every mention in the article (${mentions.length})`, class: "spans-h" }),
                               h("ol", { class: "mentions", id: "mentions" }, mentions)] : null,
        h("h2", { text: "Spans", class: "spans-h" }),
        h("table", { class: "data", id: "spans-table" },
          h("thead", null, h("tr", null, ["role", "text", "offsets", "matches text"].map(t => h("th", { text: t })))),
          h("tbody", null, ev.evidence.spans.map(x => h("tr", null,
            h("td", { text: x.role }), h("td", { text: x.text === null ? "—" : x.text }),
            h("td", { class: "mono", text: `${x.start}–${x.end}` }),
            h("td", null, h("span", { class: x.ok ? "ok" : "bad", text: x.ok ? "✓" : "✗" }))))))),
      h("section", { class: "card" }, h("h2", { text: "Record" }),
        h("dl", { class: "kv" }, kv.map(([k, v]) => [h("dt", { text: k }), h("dd", null, v)])))));
  }

  // ------------------------------------------------------------------------------------------
  // clusters

  async function pageClusters(tok) {
    setNav("clusters");
    const p = currentParams();
    const qs = filterParams(p, PAGE_KEYS.clusters);
    const sort = p.get("sort") || "-stories";
    const offset = Math.max(0, parseInt(p.get("offset") || "0", 10) || 0);
    qs.set("sort", sort);
    const listUrl = withQuery("/api/clusters", qs);
    setTwin(`${listUrl}&offset=${offset}`);
    const m = await meta();
    const own = { own: [pp => select("contested", "Contested", [["true", "contested only"], ["false", "not contested"]], values(pp, "contested"), false),
                         pp => input("min_stories", "Min. stories", "number", values(pp, "min_stories")[0], { min: "1", step: "1" })] };
    let res;
    try { res = await api(`${listUrl}&offset=${offset}`); }
    catch (e) { if (tok !== GEN) throw STALE; errorPage(e, own); return; }
    start(tok);
    main.appendChild(filterBar(m, p, Object.assign({ download: listUrl }, own)));
    main.appendChild(clusterTable(res, sort, false));
  }

  async function pageCluster(tok, id) {
    setNav("clusters");
    const twin = `/api/clusters/${enc(id)}`;
    setTwin(twin);
    const c = await api(twin);
    start(tok);
    main.appendChild(h("div", { class: "card" },
      h("div", { class: "row" }, (c.statuses || [c.status]).map(chip), c.contested ? h("span", { class: "bad small", text: "contested: reported as happening and as not happening" }) : null),
      h("h1", { text: `${c.type || "?"}: “${c.trigger_text || "?"}”` }),
      h("div", { class: "meta" },
        h("span", { text: `${c.actor1_name || "—"}${c.actor2_name ? ` → ${c.actor2_name}` : ""}` }),
        h("span", { text: c.location_name ? `in ${c.location_name}` : "place unknown" }),
        h("span", { text: c.date_earliest ? `when: ${c.date_earliest}${c.date_latest && c.date_latest !== c.date_earliest ? ` – ${c.date_latest}` : ""}` +
          (c.events.length && c.events.every(ev => ev.date_is_publication_date) ? " (no story gives a date: from publication dates)" : "") : "" }),
        h("span", { text: `${plural(c.n_stories, "story", "stories")}, ${plural(c.n_sources, "source")}, ${plural(c.n_events, "mention")}` }),
        h("span", { text: `reported ${c.first_report || "?"}${c.last_report && c.last_report !== c.first_report ? ` – ${c.last_report}` : ""}` }))));
    const pos = c.positions || { asserts: [], denies: [] };
    const who = list => Array.from(new Set(list.map(x => `${x.by}${x.status ? ` (${x.status})` : ""}`))).join("; ");
    if (pos.asserts.length && pos.denies.length) {
      main.appendChild(h("section", { class: "card", id: "positions" }, h("h2", { text: "Who says it happened, who says it did not" }),
        h("dl", { class: "kv" },
          h("dt", { text: "asserts" }), h("dd", { id: "asserts", text: who(pos.asserts) }),
          h("dt", { text: "denies" }), h("dd", { id: "denies", text: who(pos.denies) }))));
    }
    main.appendChild(h("section", { class: "card" }, h("h2", { text: "Mentions" }),
      h("div", { class: "table-wrap" }, h("table", { class: "data" },
        h("thead", null, h("tr", null, ["Event", "Status", "Who → whom", "Trigger", "Article"].map(t => h("th", { text: t })))),
        h("tbody", null, c.events.map(ev => h("tr", null,
          h("td", null, link(ev.links.html, `${ev.type} ${ev.event_date || ""}`),
            ev.date_is_publication_date ? h("div", { class: "small muted", text: "publication date" }) : null),
          h("td", null, chip(ev.status)), h("td", null, whoWhom(ev)),
          h("td", { class: "trig", text: ev.trigger && ev.trigger.text ? `“${ev.trigger.text}”` : "—" }),
          h("td", null, link(ev.links.article, ev.article.title || ev.article_id),
            h("div", { class: "small muted", text: [ev.article.date, ev.article.outlet].filter(Boolean).join(" · ") })))))))));
  }

  // ------------------------------------------------------------------------------------------
  // API docs rendered from /openapi.json (no Swagger CDN)

  async function pageDocs(tok) {
    setNav("docs");
    setTwin("/openapi.json");
    const spec = await api("/openapi.json");
    start(tok);
    main.appendChild(h("div", { class: "card" },
      h("h1", { text: `${spec.info.title} API ${spec.info.version}` }),
      h("p", { class: "muted", text: spec.info.description || "" }),
      h("p", null, "Machine-readable description: ", link("/openapi.json", "/openapi.json"),
        ". List parameters take repeated values or a comma-separated list; unknown parameters are an error (422).")));
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const params = op.parameters || [];
        const tryIt = path.includes("{") ? null : link(path, "try it");
        main.appendChild(h("div", { class: "op" },
          h("div", { class: "spread" }, h("span", null, h("span", { class: "method", text: method.toUpperCase() }), h("code", { text: path })), tryIt),
          h("div", { class: "muted", text: op.summary || "" }),
          returns(spec, op),
          params.length ? h("table", { class: "data" },
            h("thead", null, h("tr", null, ["parameter", "in", "type", "description"].map(t => h("th", { text: t })))),
            h("tbody", null, params.map(pa => h("tr", null,
              h("td", { class: "mono", text: pa.name + (pa.required ? " *" : "") }),
              h("td", { text: pa.in }),
              h("td", { class: "mono", text: schemaText(pa.schema) }),
              h("td", { text: pa.description || (pa.schema && pa.schema.description) || "" }))))) : null));
      }
    }
  }
  function returns(spec, op) {              // "returns EventList: total, limit, offset, items, …"
    const ok = ((op.responses || {})["200"] || {}).content || {};
    const types = Object.keys(ok);
    const ref = ok["application/json"] && ok["application/json"].schema && ok["application/json"].schema.$ref;
    if (!ref && !types.length) return null;
    const name = ref ? ref.split("/").pop() : null;
    const model = name && spec.components && spec.components.schemas ? spec.components.schemas[name] : null;
    const fields = model && model.properties ? Object.keys(model.properties) : [];
    return h("div", { class: "small returns" }, "returns ",
      name ? h("code", { text: name }) : null,
      fields.length ? `: ${fields.slice(0, 12).join(", ")}${fields.length > 12 ? ", …" : ""}` : "",
      types.length > 1 ? ` · also ${types.filter(t => t !== "application/json").join(", ")}` : "");
  }
  function schemaText(sc) {
    if (!sc) return "";
    if (sc.anyOf) return sc.anyOf.map(schemaText).filter(t => t !== "null").join(" | ");
    if (sc.enum) return sc.enum.join(" | ");
    if (sc.type === "array") return `${schemaText(sc.items)}[]`;
    let t = sc.type || "";
    if (sc.minimum !== undefined || sc.maximum !== undefined) t += ` ${sc.minimum ?? ""}..${sc.maximum ?? ""}`;
    if (sc.default !== undefined) t += ` = ${sc.default}`;
    return t;
  }
})();
