// Builds the steward console's bundle into serve/console/assets (or the
// folder given as the first argument): app.js (esbuild, minified, with
// uPlot), app.css (uPlot's styles and ours) and index.html. The output is
// deterministic, so `make console-check` can compare it with the
// committed bundle.
import { build } from "esbuild";
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const out = process.argv[2] || join(root, "serve", "console", "assets");
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, "src", "app.js")],
  bundle: true, minify: true, format: "esm", target: "es2020", legalComments: "eof",
  outfile: join(out, "app.js"), logLevel: "warning",
});
const css = readFileSync(join(root, "node_modules", "uplot", "dist", "uPlot.min.css"), "utf8") + "\n" + readFileSync(join(here, "src", "app.css"), "utf8");
writeFileSync(join(out, "app.css"), css);
copyFileSync(join(here, "index.html"), join(out, "index.html"));
