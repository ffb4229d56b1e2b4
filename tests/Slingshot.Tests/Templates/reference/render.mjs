// Reads [{template, context}] as JSON on stdin and renders each with @huggingface/jinja; writes
// [{ok: true, text} | {ok: false, error}] as JSON on stdout, one entry per case, in order.
import { Template } from "@huggingface/jinja";
import { readFileSync } from "node:fs";

const cases = JSON.parse(readFileSync(0, "utf8"));
const results = cases.map(({ template, context }) => {
  try {
    return { ok: true, text: new Template(template).render(context) };
  } catch (e) {
    return { ok: false, error: String((e && e.message) || e).split("\n")[0] };
  }
});
process.stdout.write(JSON.stringify(results));
