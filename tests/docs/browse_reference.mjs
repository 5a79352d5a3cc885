// Opens docs/reference/index.html in headless Chromium (no network), searches an endpoint and a
// field the way a person would, and checks what the page shows. Leaves screenshots in OUT_DIR.
//
// Usage: node browse_reference.mjs WORKSPACE_ROOT OUT_DIR [CHROMIUM]
// Ends with 'N passed, N failed'; exits 1 on any failure.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [root, out, executablePath = "/usr/bin/chromium"] = process.argv.slice(2);
fs.mkdirSync(out, { recursive: true });
let passed = 0;
const failed = [];
const check = (name, ok, detail = "") => (ok ? passed++ : failed.push(`${name} ${detail}`));

const browser = await chromium.launch({
  executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", err => errors.push(String(err)));
  page.on("console", msg => msg.type() === "error" && errors.push(msg.text()));
  // The page must need nothing from outside its file.
  const requests = [];
  page.on("request", req => req.url().startsWith("file:") || requests.push(req.url()));
  await page.goto(pathToFileURL(path.join(root, "docs/reference/index.html")).href);

  const total = await page.locator("nav a").count();
  check("the index lists every entry", total > 400, `(${total} links)`);
  check("the start page lists the services", await page.locator("main table").first().innerText()
    .then(t => t.includes("full_node") && t.includes("wallet") && t.includes("daemon")));

  // Search an endpoint by name: the list narrows to it, and its page shows its fields.
  await page.fill("#search", "get_blockchain_state");
  const hits = page.locator("nav a", { hasText: "get_blockchain_state" });
  check("the search finds get_blockchain_state", await hits.count() >= 1);
  check("the search narrows the list", await page.locator("nav a").count() < 10,
    `(${await page.locator("nav a").count()} left)`);
  await hits.first().click();
  const main = page.locator("main");
  await main.locator("h2", { hasText: "get_blockchain_state" }).waitFor();
  const text = await main.innerText();
  for (const expected of ["blockchain_state", "BlockchainState", "read", "Captured reply", "\"peak\""]) {
    check(`get_blockchain_state shows ${expected}`, text.includes(expected));
  }
  await page.screenshot({ path: path.join(out, "reference-get_blockchain_state.png") });

  // Follow a type link from there.
  await main.locator("td.type a", { hasText: "BlockchainState" }).first().click();
  await main.locator("h2", { hasText: "BlockchainState" }).waitFor();
  check("the type page lists its fields", (await main.innerText()).includes("mempool_size"));

  // Search by a field name: the wallet's balance endpoints come up, naming the field.
  await page.fill("#search", "confirmed_wallet_balance");
  const byField = await page.locator("nav").innerText();
  check("a field search finds get_wallet_balance", byField.includes("get_wallet_balance"));
  check("a field search says why", byField.includes("field confirmed_wallet_balance"));
  await page.locator("nav a", { hasText: "get_wallet_balance" }).first().click();
  await main.locator("h2", { hasText: "get_wallet_balance" }).waitFor();
  check("get_wallet_balance shows its fields", (await main.innerText()).includes("wallet_id"));
  await page.screenshot({ path: path.join(out, "reference-field-search.png") });

  // A search for nothing real shows nothing.
  await page.fill("#search", "no_such_endpoint_anywhere");
  check("a search for nothing finds nothing", await page.locator("nav a").count() === 0);

  check("no script errors", errors.length === 0, errors.join("; "));
  check("no request left the file", requests.length === 0, requests.join(", "));
  console.log(`reference: ${total} entries; screenshots in ${out}`);
} finally {
  await browser.close();
}
for (const f of failed) console.log(`FAILED ${f}`);
console.log(`${passed} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
