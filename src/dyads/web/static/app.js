// The dyads page: filters -> /api/* -> a table, a timeline, a map and a network.
// Every piece of data goes into the page as text (textContent, d3's .text()), never as markup.
"use strict";

const PAGE = 25;
const FILTERS = ["either", "actor", "recipient", "type", "cameo", "since", "until", "place", "text",
  "factuality", "min_confidence"];
let offset = 0;
let total = 0;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  return node;
}

function params(extra = {}) {
  const p = new URLSearchParams();
  for (const name of FILTERS) {
    const value = document.getElementById(`f-${name}`).value.trim();
    if (value) p.set(name, value);
  }
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p;
}

async function api(path, p = new URLSearchParams()) {
  const response = await fetch(`${path}?${p}`);
  const body = await response.json();
  if (!response.ok) {
    const detail = Array.isArray(body.detail) ? body.detail.map((d) => `${d.loc.at(-1)}: ${d.msg}`).join("; ")
      : body.detail;
    throw new Error(detail || response.statusText);
  }
  return body;
}

function showError(error) {
  const box = document.getElementById("error");
  box.textContent = error ? `error: ${error.message}` : "";
  box.hidden = !error;
}

function tone(quad) {
  return quad === 1 || quad === 2 ? "coop" : quad === 3 || quad === 4 ? "conflict" : "neutral";
}

function side(entities) {
  if (!entities || !entities.length) return "—";
  return entities.map((e) => {
    const code = [e.code, e.sector].filter(Boolean).join("/");
    return code ? `${e.entity_text} [${code}]` : e.entity_text;
  }).join(", ");
}

// The sentence as text nodes, with <mark>s over the spans the API marked.
function sentence(rec) {
  const text = rec.text || "";
  const out = document.createDocumentFragment();
  let at = 0;
  for (const m of rec.marks || []) {
    if (m.start < at) continue;
    out.append(text.slice(at, m.start), el("mark", { class: m.kind, title: m.kind }, text.slice(m.start, m.end)));
    at = m.end;
  }
  out.append(text.slice(at));
  return out;
}

function place(loc) {
  return loc ? [loc.name, loc.country].filter(Boolean).join(", ") : "—";
}

function when(rec) {
  if (!rec.date) return "—";
  return rec.date_end ? `${rec.date}…${rec.date_end}` : rec.date;
}

async function loadEvents() {
  const page = await api("/api/events", params({ limit: PAGE, offset }));
  total = page.total;
  const body = document.querySelector("#events tbody");
  body.replaceChildren(...page.events.map((rec) => {
    const row = el("tr", { "data-id": rec.id, class: `event ${tone(rec.quad_code)}-row` },
      el("td", {}, when(rec)),
      el("td", {}, el("strong", {}, rec.event), el("br"), rec.cameo || ""),
      el("td", {}, side(rec.actor), el("br"), "→ ", side(rec.recipient)),
      el("td", {}, place(rec.event_loc)),
      el("td", {}, rec.factuality),
      el("td", {}, rec.confidence.toFixed(2)),
      el("td", { class: "sentence" }, sentence(rec)));
    row.addEventListener("click", () => openEvent(rec.id));
    return row;
  }));
  document.getElementById("count").textContent = `${total} matching`;
  const last = Math.min(offset + PAGE, total);
  document.getElementById("page").textContent = total ? `${offset + 1}–${last} of ${total}` : "none";
  document.getElementById("prev").disabled = offset === 0;
  document.getElementById("next").disabled = last >= total;
}

function safeUrl(url) {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

async function openEvent(id) {
  try {
    const rec = await api(`/api/events/${encodeURIComponent(id)}`);
    const ev = rec.evidence || {};
    const rows = [
      ["event", `${rec.event}${rec.mode ? ` (${rec.mode})` : ""}, CAMEO ${rec.cameo}, quad ${rec.quad_code}, Goldstein ${rec.goldstein}`],
      ["actor", side(rec.actor)],
      ["recipient", side(rec.recipient)],
      ["when", `${when(rec)} (${rec.date_precision})${rec.date_text ? `: “${rec.date_text}”` : ""}`],
      ["where", place(rec.event_loc)],
      ["factuality", rec.factuality],
      ["confidence", String(rec.confidence)],
      ["trigger", `${ev.trigger ?? "—"}${rec.event_text ? ` (“${rec.event_text}”)` : ""}`],
      ["rule", ev.rule ?? "—"],
      ["place rule", ev.place_rule ?? "—"],
      ["date rule", ev.date_rule ?? "—"],
    ];
    const list = el("dl", { class: "evidence" });
    for (const [k, v] of rows) list.append(el("dt", {}, k), el("dd", {}, v));
    const art = rec.article || {};
    const source = el("p", { class: "article" }, `${art.title || rec.article_id} — ${art.source || ""} ${art.published || ""}`);
    const url = art.url && safeUrl(art.url);
    if (url) source.append(" ", el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, "source"));
    const parts = [el("h2", {}, `${rec.event}: ${side(rec.actor)} → ${side(rec.recipient)}`),
      el("blockquote", { class: "sentence" }, sentence(rec)), list, source];
    if (rec.mentions) {
      parts.push(el("h3", {}, `${rec.mentions.length} mentions`),
        el("ul", { class: "mentions" }, ...rec.mentions.map((m) => el("li", {},
          Object.entries(m).filter(([k]) => k !== "event_id").map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join(" · ")))));
    }
    document.getElementById("detail-body").replaceChildren(...parts);
    document.getElementById("detail").hidden = false;
    showError(null);
  } catch (error) {
    showError(error);
  }
}

function size(svg) {
  const box = svg.node().getBoundingClientRect();
  return [box.width || 400, box.height || 260];
}

// Every month from the first with events to the last, empty ones included.
function months(found) {
  if (!found.length) return [];
  const byPeriod = new Map(found.map((r) => [r.period, r]));
  const rows = [];
  const [y0, m0] = found[0].period.split("-").map(Number);
  const [y1, m1] = found.at(-1).period.split("-").map(Number);
  for (let y = y0, m = m0; y < y1 || (y === y1 && m <= m1); m === 12 ? (y++, m = 1) : m++) {
    const period = `${y}-${String(m).padStart(2, "0")}-01`;
    rows.push(byPeriod.get(period) ?? { period, events: 0, cooperation: 0, conflict: 0, goldstein: null });
  }
  return rows;
}

async function drawTimeline() {
  const rows = months(await api("/api/timeline", params({ by: "month" })));
  const svg = d3.select("#timeline");
  svg.selectAll("*").remove();
  const [w, h] = size(svg);
  const m = { top: 10, right: 10, bottom: 40, left: 30 };
  const x = d3.scaleBand(rows.map((r) => r.period), [m.left, w - m.right]).padding(0.15);
  const most = d3.max(rows, (r) => Math.max(r.cooperation, r.conflict)) || 1;
  const y = d3.scaleLinear([-most, most], [h - m.bottom, m.top]);
  svg.append("g").selectAll("rect").data(rows).join("rect").attr("class", "coop")
    .attr("x", (r) => x(r.period)).attr("width", x.bandwidth())
    .attr("y", (r) => y(r.cooperation)).attr("height", (r) => y(0) - y(r.cooperation))
    .append("title").text((r) => `${r.period.slice(0, 7)}: ${r.cooperation} cooperation`);
  svg.append("g").selectAll("rect").data(rows).join("rect").attr("class", "conflict")
    .attr("x", (r) => x(r.period)).attr("width", x.bandwidth())
    .attr("y", y(0)).attr("height", (r) => y(-r.conflict) - y(0))
    .append("title").text((r) => `${r.period.slice(0, 7)}: ${r.conflict} conflict`);
  const step = Math.max(1, Math.ceil(rows.length / 12));
  svg.append("g").attr("transform", `translate(0,${h - m.bottom})`)
    .call(d3.axisBottom(x).tickValues(rows.map((r) => r.period).filter((_, i) => i % step === 0))
      .tickFormat((p) => p.slice(0, 7)))
    .selectAll("text").attr("transform", "rotate(-40)").attr("text-anchor", "end");
  svg.append("g").attr("transform", `translate(${m.left},0)`).call(d3.axisLeft(y).ticks(Math.min(4, most)).tickFormat((v) => (Number.isInteger(v) ? Math.abs(v) : "")));
}

let world = null;

async function drawMap() {
  world ??= await (await fetch("/static/vendor/countries-110m.v2.0.2.json")).json();
  const places = await api("/api/places", params());
  const svg = d3.select("#map");
  svg.selectAll("*").remove();
  const [w, h] = size(svg);
  const land = topojson.feature(world, world.objects.countries);
  const projection = d3.geoNaturalEarth1().fitSize([w, h], land);
  if (places.length) {  // zoom to the events, with a margin of some degrees around them
    const lons = places.map((p) => p.lon);
    const lats = places.map((p) => p.lat);
    const corners = [[d3.min(lons) - 25, d3.min(lats) - 15], [d3.max(lons) + 25, d3.max(lats) + 15]]
      .map(([lon, lat]) => [Math.max(-180, Math.min(180, lon)), Math.max(-85, Math.min(85, lat))]);
    projection.fitExtent([[10, 10], [w - 10, h - 10]], { type: "MultiPoint", coordinates: corners });
  }
  const path = d3.geoPath(projection);
  svg.append("g").selectAll("path").data(land.features).join("path").attr("class", "land").attr("d", path)
    .append("title").text((f) => f.properties.name);
  const r = d3.scaleSqrt([0, d3.max(places, (p) => p.events) || 1], [2, 14]);
  svg.append("g").selectAll("circle").data(places).join("circle")
    .attr("class", (p) => (p.conflict > p.cooperation ? "conflict" : p.cooperation > p.conflict ? "coop" : "neutral"))
    .attr("cx", (p) => projection([p.lon, p.lat])[0]).attr("cy", (p) => projection([p.lon, p.lat])[1])
    .attr("r", (p) => r(p.events))
    .on("click", (_, p) => { document.getElementById("f-place").value = p.name; refresh(); })
    .append("title").text((p) => `${p.name} (${p.country ?? "?"}): ${p.events} events, ${p.cooperation} cooperation, ${p.conflict} conflict`);
}

async function drawNetwork() {
  const edges = await api("/api/dyads", params({ limit: 60 }));
  const svg = d3.select("#network");
  svg.selectAll("*").remove();
  const [w, h] = size(svg);
  const nodes = Array.from(new Set(edges.flatMap((e) => [e.actor, e.recipient])), (id) => ({ id }));
  const links = edges.map((e) => ({ ...e, source: e.actor, target: e.recipient }));
  const width = d3.scaleSqrt([1, d3.max(edges, (e) => e.events) || 1], [1, 6]);
  const link = svg.append("g").selectAll("line").data(links).join("line")
    .attr("class", (e) => (e.goldstein > 0 ? "coop" : e.goldstein < 0 ? "conflict" : "neutral"))
    .attr("stroke-width", (e) => width(e.events));
  link.append("title").text((e) => `${e.actor} → ${e.recipient}: ${e.events} events, ${e.cooperation} cooperation, ${e.conflict} conflict, mean Goldstein ${e.goldstein}`);
  const node = svg.append("g").selectAll("g").data(nodes).join("g")
    .on("click", (_, n) => { document.getElementById("f-either").value = n.id; refresh(); });
  node.append("circle").attr("r", 5).attr("class", "neutral");
  node.append("text").attr("x", 7).attr("y", 3).text((n) => n.id);
  d3.forceSimulation(nodes)
    .force("link", d3.forceLink(links).id((n) => n.id).distance(80))
    .force("charge", d3.forceManyBody().strength(-300))
    .force("center", d3.forceCenter(w / 2, h / 2))
    .force("x", d3.forceX(w / 2).strength(0.05)).force("y", d3.forceY(h / 2).strength(0.08))
    .on("tick", () => {
      link.attr("x1", (e) => e.source.x).attr("y1", (e) => e.source.y)
        .attr("x2", (e) => e.target.x).attr("y2", (e) => e.target.y);
      node.attr("transform", (n) => `translate(${Math.max(8, Math.min(w - 24, n.x))},${Math.max(8, Math.min(h - 8, n.y))})`);
    });
}

let loads = 0;

async function refresh(keepPage = false) {
  if (!keepPage) offset = 0;
  document.body.dataset.ready = "false";
  try {
    await Promise.all([loadEvents(), drawTimeline(), drawMap(), drawNetwork()]);
    showError(null);
  } catch (error) {
    showError(error);
  }
  document.body.dataset.loads = String(++loads);
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("filters");
  form.addEventListener("submit", (event) => { event.preventDefault(); refresh(); });
  form.addEventListener("reset", () => setTimeout(refresh, 0));
  document.getElementById("prev").addEventListener("click", () => { offset = Math.max(0, offset - PAGE); refresh(true); });
  document.getElementById("next").addEventListener("click", () => { offset += PAGE; refresh(true); });
  document.getElementById("close").addEventListener("click", () => { document.getElementById("detail").hidden = true; });
  refresh();
});
