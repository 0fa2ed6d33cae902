// tests/web/openapi/validate.mjs — checks the API's OpenAPI document with a real OpenAPI 3.1
// validator (@seriousme/openapi-schema-validator, pinned by package-lock.json), and, when given
// a file of answers the API tests received (one JSON object a line: method, path as the
// document writes it, status, body), validates each answer's body against the schema the
// document gives for that operation and status (Ajv, JSON Schema 2020-12).
//   node validate.mjs OPENAPI.json [ANSWERS.jsonl]
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";

const [docPath, answersPath] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(docPath, "utf8"));
const validator = new Validator();
const result = await validator.validate(doc);
if (!result.valid) {
  console.error("the OpenAPI document is not valid:", JSON.stringify(result.errors, null, 1));
  process.exit(1);
}
console.log(`${docPath}: a valid OpenAPI ${validator.version} document`);
if (!answersPath) process.exit(0);

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(doc, "api");
const pointer = (...parts) => parts.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
let checked = 0;
let failures = 0;
for (const line of readFileSync(answersPath, "utf8").split("\n")) {
  if (!line.trim()) continue;
  const a = JSON.parse(line);
  const op = doc.paths[a.path]?.[a.method.toLowerCase()];
  if (!op) {
    console.error(`${a.method} ${a.path}: not in the document`);
    failures++;
    continue;
  }
  let response = op.responses[String(a.status)];
  if (!response) {
    console.error(`${a.method} ${a.path}: status ${a.status} is not documented`);
    failures++;
    continue;
  }
  const status = String(a.status);
  const ref = response.$ref ? response.$ref.slice(1) : pointer("", "paths", a.path, a.method.toLowerCase(), "responses", status);
  const where = response.$ref ? doc.components.responses[response.$ref.split("/").pop()] : response;
  if (!where.content?.["application/json"]) continue; // files and event streams
  const validate = ajv.getSchema(`api#${ref}/content/application~1json/schema`);
  if (!validate(a.body)) {
    console.error(`${a.method} ${a.path} ${a.status}: ${ajv.errorsText(validate.errors)}`);
    failures++;
  }
  checked++;
}
console.log(`${checked} answers checked against their schemas, ${failures} failed`);
process.exit(failures ? 1 : 0);
