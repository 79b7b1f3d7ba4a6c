// Compile every .mdx file under the given folder with @mdx-js/mdx, the way
// contentlayer / next-mdx-remote do: front matter is stripped first (gray-matter's
// job there). Prints "file: message" for each failure and exits 1 if any failed.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { compile } from "@mdx-js/mdx";

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === "node_modules") continue;
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (name.endsWith(".mdx")) yield path;
  }
}

const root = process.argv[2];
let ok = 0;
const failures = [];
for (const file of walk(root)) {
  const text = readFileSync(file, "utf8").replace(/^---\n[\s\S]*?\n---\n/, "");
  try {
    await compile(text);
    ok += 1;
  } catch (error) {
    failures.push(`${file}: ${error.message}`);
  }
}
for (const line of failures) console.error(line);
console.log(`compiled ${ok}, failed ${failures.length}`);
process.exit(failures.length ? 1 : 0);
