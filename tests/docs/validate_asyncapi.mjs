// Validates docs/asyncapi/daemon.json with the AsyncAPI parser from npm: no diagnostic at all,
// every daemon command an operation with a reply, every push of the schema a message. Then
// proves the parser would notice a broken document.
//
// Usage: node validate_asyncapi.mjs WORKSPACE_ROOT
// Ends with 'N passed, N failed'; exits 1 on any failure.
import fs from "node:fs";
import path from "node:path";
import { Parser } from "@asyncapi/parser";

const root = process.argv[2];
const text = fs.readFileSync(path.join(root, "docs/asyncapi/daemon.json"), "utf8");
const schema = JSON.parse(fs.readFileSync(path.join(root, "docs/json-schema/daemon.json"), "utf8"));
const parser = new Parser();
let passed = 0;
const failed = [];
const check = (name, ok, detail = "") => (ok ? passed++ : failed.push(`${name} ${detail}`));

const { document, diagnostics } = await parser.parse(text);
for (const d of diagnostics) console.log(`diagnostic ${d.code}: ${d.message} at ${d.path.join("/")}`);
check("the document parses", !!document);
check("the parser reports nothing", diagnostics.length === 0, `(${diagnostics.length} diagnostics)`);
if (document) {
  const operations = new Map(document.allOperations().all().map(op => [op.id(), op]));
  const commands = Object.keys(schema["x-endpoints"]);
  for (const command of commands) {
    const op = operations.get(command);
    check(`command ${command}`, !!op && op.action() === "send" && !!op.reply());
  }
  const events = document.allMessages().all().filter(m => m.id().match(/^(?!.*_(request|reply)$)/));
  const received = operations.get("receive_events");
  check("the pushes are received", !!received && received.messages().length === events.length);
  console.log(`asyncapi: ${document.version()}, ${commands.length} daemon commands, ` +
    `${events.length} push messages (relayed calls included: ${operations.has("relay")})`);
}

// A reply that points at a message that does not exist is refused.
const broken = JSON.parse(text);
broken.operations.get_status.reply.messages = [{ $ref: "#/channels/daemon/messages/no_such_message" }];
const again = await parser.parse(JSON.stringify(broken));
check("a broken document is refused", again.diagnostics.some(d => d.severity === 0));

for (const f of failed) console.log(`FAILED ${f}`);
console.log(`${passed} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
