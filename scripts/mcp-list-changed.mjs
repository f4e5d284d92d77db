#!/usr/bin/env node
// mcp-list-changed.mjs — groundtruth's MCP list-change notifications seen
// by the official TypeScript SDK's client over streamable HTTP.
//
// Usage: node scripts/mcp-list-changed.mjs URL
// It connects, lists the resources and prints "resources N". Then, for each
// line on stdin:
//   "wait"   waits (at most 10 s) for notifications/resources/list_changed
//            and notifications/tools/list_changed, re-lists and prints
//            "changed resources N tools M"
//   "quiet"  waits 1 s and prints "quiet R T" (the notifications received
//            since the last command: both must stay 0 when nothing changed)
// and exits 0 at the end of stdin; any failure prints it and exits 1.

import { createInterface } from "node:readline";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ResourceListChangedNotificationSchema, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

const client = new Client({ name: "list-changed-test", version: "1" });
const seen = { resources: 0, tools: 0 };
let wake = () => {};
client.setNotificationHandler(ResourceListChangedNotificationSchema, () => { seen.resources++; wake(); });
client.setNotificationHandler(ToolListChangedNotificationSchema, () => { seen.tools++; wake(); });

async function waitBoth(ms) {
  const until = Date.now() + ms;
  while (!(seen.resources > 0 && seen.tools > 0)) {
    const left = until - Date.now();
    if (left <= 0) throw new Error(`no list_changed within ${ms} ms (resources ${seen.resources}, tools ${seen.tools})`);
    await new Promise((resolve) => { wake = resolve; setTimeout(resolve, left); });
  }
}

const transport = new StreamableHTTPClientTransport(new URL(process.argv[2]));
try {
  await client.connect(transport);
  // The server sends notifications on the session's standalone GET stream;
  // give the transport a moment to open it.
  await new Promise((r) => setTimeout(r, 200));
  console.log(`resources ${(await client.listResources()).resources.length}`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === "wait") {
      await waitBoth(10000);
      const r = (await client.listResources()).resources.length;
      const t = (await client.listTools()).tools.length;
      console.log(`changed resources ${r} tools ${t}`);
    } else if (line === "quiet") {
      await new Promise((r) => setTimeout(r, 1000));
      console.log(`quiet ${seen.resources} ${seen.tools}`);
    } else {
      throw new Error(`unknown command ${line}`);
    }
    seen.resources = 0;
    seen.tools = 0;
  }
  await transport.terminateSession(); // DELETE: the server forgets the session now
  await client.close();
} catch (e) {
  console.log(`FAIL ${e.message}`);
  process.exit(1);
}
