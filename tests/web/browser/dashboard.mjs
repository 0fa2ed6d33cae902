// tests/web/browser/dashboard.mjs — the dashboard in a real browser: Debian's chromium, headless,
// driven by playwright-core (pinned by package-lock.json; no browser is downloaded). Against a
// running `automuse-host serve` it logs in through the one-time link, checks that every control
// has a label and every text enough contrast, that the token is kept nowhere but in memory and
// that the Content-Security-Policy blocks nothing the page does, adds an account and a
// schedule, makes a Short offline through the create form while recording every value the
// job's progress bar takes, plays the video (its requests answered 206 with Content-Range, a
// seek, currentTime advancing), approves it (when the server has the approval gate), finds it in
// history, and keeps screenshots (desktop, phone, awaiting approval) in OUTDIR. Exits non-zero on
// any failure.
// The login link comes in the environment (AUTOMUSE_LOGIN_LINK), and its code never reaches
// the output, not even in an error's text.
//   AUTOMUSE_LOGIN_LINK=http://…/login#code=… node dashboard.mjs OUTDIR [--approval]
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const link = process.env.AUTOMUSE_LOGIN_LINK || "";
const [outDir, ...flags] = process.argv.slice(2);
if (!link.includes("#code=") || !outDir) {
  console.error("usage: AUTOMUSE_LOGIN_LINK=http://HOST:PORT/login#code=CODE node dashboard.mjs OUTDIR [--approval]");
  process.exit(2);
}
const code = link.slice(link.indexOf("#code=") + 6);
for (const stream of ["log", "error"]) {
  const write = console[stream].bind(console);
  console[stream] = (...args) => write(...args.map((a) => String(a).split(code).join("[login code]")));
}
const approval = flags.includes("--approval");
const origin = new URL(link).origin;
const TITLE = "Octopus facts";
const SECRET = "1//browser-test-refresh-token-0123456789";
const SCRIPT =
  "An octopus has three hearts. Two pump blood through the gills, and one pumps it through the " +
  "body. Its blood is blue, because it carries copper instead of iron. Each arm can taste what " +
  "it touches. An octopus can squeeze through any hole larger than its beak.";
mkdirSync(outDir, { recursive: true });

function check(ok, what) {
  if (!ok) throw new Error("FAILED: " + what);
  console.log("ok: " + what);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
});
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1120, height: 800 } });
  const page = await context.newPage();
  const outside = [];
  const media = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) outside.push(r.url());
  });
  page.on("response", async (r) => {
    if (!/\/api\/v1\/outbox\/[^/]+\/video/.test(r.url())) return;
    const range = await r.request().headerValue("range");
    media.push({ status: r.status(), range, contentRange: await r.headerValue("content-range") });
  });
  page.on("pageerror", (e) => console.log("page error: " + e.message));
  page.on("console", (m) => m.type() === "error" && console.log("console: " + m.text()));

  // Anything the Content-Security-Policy blocks is a bug of the page: counted from the start.
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
  });
  await logIn(page, context);
  await checkLabels(page);
  await checkContrast(page);
  await checkKeyboard(page);
  await addAccount(page);
  await addSchedule(page);
  const job = await createShort(page);
  await playVideo(page, job, media);
  if (approval) await approve(page, job);
  await findInHistory(page);
  check(outside.length === 0, "the page asked for nothing outside the server (" + outside.join(", ") + ")");
  const blocked = await page.evaluate(() => window.__csp);
  check(blocked.length === 0, "nothing was blocked by the Content-Security-Policy " + JSON.stringify(blocked));
  await screenshots(page);
} catch (e) {
  console.error(e.stack || String(e));
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);

async function logIn(page, context) {
  await page.goto(link);
  await page.locator("#app").waitFor({ state: "visible", timeout: 15000 });
  check(!page.url().includes("code="), "the login code left the address bar");
  check((await context.cookies()).length === 0, "no cookies");
  const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
  check(stored === 0, "nothing in localStorage or sessionStorage");
  await page.locator("#c-plugin option[value=youtube]").waitFor({ state: "attached" });
}

// Every control has an accessible name: a <label>, aria-label or aria-labelledby.
async function checkLabels(page) {
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea, progress, video, button")]
      .filter((e) => e.type !== "hidden")
      .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute("aria-label") &&
        !e.getAttribute("aria-labelledby") && !(e.tagName === "BUTTON" && e.textContent.trim()))
      .map((e) => e.outerHTML.slice(0, 80)));
  check(unnamed.length === 0, "every control has a label " + JSON.stringify(unnamed));
}

// Every visible text against its background: at least 4.5:1 (3:1 for large text), WCAG AA.
async function checkContrast(page) {
  const poor = await page.evaluate(() => {
    const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (e) => {
      for (; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || c[3] > 0) return c;
      }
      return [255, 255, 255];
    };
    const out = [];
    for (const e of document.querySelectorAll("body *")) {
      const text = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!text || !e.getClientRects().length || e.closest("[hidden]") || e.disabled) continue;
      const st = getComputedStyle(e);
      const [a, b] = [lum(rgb(st.color)), lum(background(e))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const size = parseFloat(st.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(st.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) out.push(e.tagName + " '" + e.textContent.trim().slice(0, 30) + "' " + ratio.toFixed(2));
    }
    return out;
  });
  check(poor.length === 0, "every text has enough contrast " + JSON.stringify(poor));
}

// The create form's button is reached with the Tab key alone.
async function checkKeyboard(page) {
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement && document.activeElement.id === "c-submit");
  }
  check(reached, "the keyboard reaches 'Make the Short'");
}

async function addAccount(page) {
  await page.selectOption("#a-plugin", "youtube");
  await page.fill("#a-nickname", "seafacts");
  await page.fill("#a-f-niche", "sea creatures");
  // Shaped as the fakes' Google refresh tokens, so the suite's log scan would find it.
  await page.fill("#a-f-refresh_token", SECRET);
  await page.click("#a-submit");
  const item = page.locator("#account-list li", { hasText: "seafacts" });
  await item.waitFor({ timeout: 10000 });
  const text = await item.textContent();
  check(text.includes("niche: sea creatures") && text.includes("Secrets set: refresh_token") &&
    !text.includes(SECRET), "an account added; its secret is write-only");
  await page.locator("#c-account option[value=seafacts]").waitFor({ state: "attached" });
}

async function addSchedule(page) {
  await page.selectOption("#s-plugin", "youtube");
  await page.selectOption("#s-account", "seafacts");
  await page.selectOption("#s-action", "generate");
  await page.selectOption("#s-when", "twice");
  await page.click("#schedule-form button[type=submit]");
  const item = page.locator("#schedule-list li", { hasText: "seafacts" });
  await item.waitFor({ timeout: 10000 });
  await item.getByRole("button", { name: /^Pause/ }).click();
  await page.locator("#schedule-list li", { hasText: "paused" }).waitFor({ timeout: 10000 });
  check(true, "a schedule added and paused");
}

// Fills the create form, then records every value the new job's progress bar takes.
async function createShort(page) {
  await page.selectOption("#c-plugin", "youtube");
  await page.selectOption("#c-account", "seafacts");
  await page.check("#c-src-script");
  await page.fill("#c-script", SCRIPT);
  await page.fill("#c-title", TITLE);
  await page.selectOption("#c-aspect", "9:16");
  // With the approval gate: run (which can wait for approval), publishing to the outbox only,
  // so nothing is uploaded; without it: generate.
  if (approval) {
    await page.selectOption("#c-action", "generate");
    check(await page.isDisabled("#c-approval"), "generate (which publishes nothing) cannot be asked to wait for approval");
  }
  await page.selectOption("#c-action", approval ? "run" : "generate");
  if (approval) await page.check("#c-approval");
  await page.click("#c-more summary");
  if (approval) await page.selectOption("#c-opt-publish", "outbox");
  await page.fill("#c-opt-width", "270");
  await page.fill("#c-opt-height", "480");
  await page.evaluate(() => {
    // Each record's oldValue is the bar's value before that change: the values it took.
    window.__bars = {};
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.target.tagName !== "PROGRESS") continue;
        (window.__bars[r.target.id] ||= []).push(r.oldValue);
      }
    }).observe(document.getElementById("job-list"), {
      subtree: true, attributes: true, attributeFilter: ["value"], attributeOldValue: true,
    });
  });
  const started = Date.now();
  await page.click("#c-submit");
  const card = page.locator("#job-list li.card").first();
  await card.waitFor();
  const job = await card.getAttribute("data-job");
  const awaited = approval ? "awaiting approval" : "done";
  await card.locator(".badge", { hasText: awaited }).waitFor({ timeout: 180000 });
  await card.locator("video").waitFor({ timeout: 30000 });
  console.log("made in " + ((Date.now() - started) / 1000).toFixed(1) + " s");
  const values = await page.evaluate((id) => {
    const bar = document.getElementById("progress-" + id);
    const olds = window.__bars["progress-" + id] || [];
    return olds.slice(1).concat([bar.getAttribute("value")]).map((v) => (v === null ? null : Number(v)));
  }, job);
  console.log("progress bar values: " + JSON.stringify(values));
  const before = values.filter((v) => v !== null && v < 100);
  const rising = before.every((v, i) => i === 0 || v > before[i - 1]);
  check(before.length >= 3 && rising, "the progress bar took at least three increasing values before 100 %");
  if (!approval) check(values[values.length - 1] === 100, "the progress bar ends at 100 %");
  const steps = await card.locator(".steps li").allTextContents();
  console.log("steps: " + JSON.stringify(steps));
  check(["script", "render", "outbox"].every((s) => steps.some((t) => t.startsWith(s))), "the job's steps are shown");
  return job;
}

async function playVideo(page, job, media) {
  const video = page.locator('li[data-job="' + job + '"] video');
  await video.scrollIntoViewIfNeeded();
  const first = await video.evaluate(async (v) => {
    v.muted = true;
    await v.play();
    const t0 = performance.now();
    while (v.currentTime < 0.5 && performance.now() - t0 < 15000) await new Promise((r) => setTimeout(r, 50));
    return { time: v.currentTime, duration: v.duration };
  });
  check(first.time >= 0.5, "the video plays (currentTime " + first.time.toFixed(2) + " of " + first.duration.toFixed(2) + " s)");
  const seek = await video.evaluate(async (v) => {
    const to = v.duration * 0.6;
    const seeked = new Promise((r) => v.addEventListener("seeked", r, { once: true }));
    v.currentTime = to;
    await seeked;
    const at = v.currentTime;
    await v.play();
    const t0 = performance.now();
    while (v.currentTime < at + 0.5 && performance.now() - t0 < 15000) await new Promise((r) => setTimeout(r, 50));
    v.pause();
    return { to, at, now: v.currentTime };
  });
  check(seek.now >= seek.at + 0.5, "after a seek to " + seek.at.toFixed(2) + " s, currentTime advances to " + seek.now.toFixed(2) + " s");
  // The player asked for byte ranges: each answered 206 with its Content-Range.
  console.log("video requests: " + JSON.stringify(media));
  const ranged = media.filter((m) => m.range);
  check(ranged.length >= 1 && ranged.every((m) => m.status === 206 && /^bytes \d+-\d+\/\d+$/.test(m.contentRange || "")),
    "every range the player asked for was answered 206 with Content-Range");
  // A seek to the last bytes, as a player asks for an index at the end of a file.
  const tail = await video.evaluate(async (v) => {
    const r = await fetch(v.currentSrc, { headers: { Range: "bytes=-1000" }, cache: "no-store" });
    return { status: r.status, contentRange: r.headers.get("content-range"), bytes: (await r.arrayBuffer()).byteLength };
  });
  check(tail.status === 206 && /^bytes \d+-\d+\/\d+$/.test(tail.contentRange) && tail.bytes === 1000,
    "a ranged request from the page through the signed URL: 206 " + tail.contentRange);
}

async function approve(page, job) {
  const card = page.locator('li[data-job="' + job + '"]');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(outDir, "dashboard-awaiting-approval.png") });
  await card.getByRole("button", { name: /^Approve/ }).click();
  await card.locator(".badge", { hasText: /^done$/ }).waitFor({ timeout: 60000 });
  check(true, "approved; the job is done");
}

async function findInHistory(page) {
  const row = page.locator("#history-table tbody tr", { hasText: TITLE }).first();
  await row.waitFor({ timeout: 20000 });
  await row.getByRole("button", { name: /^Watch/ }).click();
  await page.locator("#history-table tr.player-row video").waitFor({ timeout: 10000 });
  check(true, "the Short is in history, and plays from there");
}

async function screenshots(page) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(outDir, "dashboard-desktop.png") });
  await page.screenshot({ path: join(outDir, "dashboard-desktop-full.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(async () => ({
    px: await new Promise((r) => requestAnimationFrame(() => r(document.documentElement.scrollWidth - window.innerWidth))),
    scrollers: [...document.querySelectorAll("body *")].filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === "visible").slice(0, 6).map((e) => e.tagName + "#" + e.id + "." + e.className + ":" + e.scrollWidth + "/" + e.clientWidth),
  }));
  check(overflow.px <= 1, "no sideways scrolling on a phone's screen (" + JSON.stringify(overflow) + ")");
  await page.screenshot({ path: join(outDir, "dashboard-phone.png"), fullPage: true });
  console.log("screenshots in " + outDir);
}
