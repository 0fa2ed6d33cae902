// tests/twitter/conformance/compare.js — runs the twitter plugin's count over cases.json
// (argv[2]: the weighted_length_print program, argv[3]: cases.json) and compares it with the
// reference implementation, npm's twitter-text 3.1.0 parseTweet (default config: v3 weighting),
// installed here by scripts/test.sh (`npm ci`). Fails naming the text and both counts on any
// mismatch, and fails (never skips) when the module is missing.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

let twitterText;
try {
  twitterText = require(path.join(__dirname, 'node_modules', 'twitter-text'));
} catch (e) {
  console.error('twitter-text is not installed in ' + __dirname + ': run `npm ci` there ' +
                '(scripts/test.sh does) — ' + e.message);
  process.exit(1);
}
const version = require(path.join(__dirname, 'node_modules', 'twitter-text', 'package.json')).version;
if (version !== '3.1.0') {
  console.error('twitter-text ' + version + ' is installed in ' + __dirname + ', not 3.1.0: run `npm ci` there');
  process.exit(1);
}

const [program, casesFile] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const ours = new Map(
  execFileSync(program, [casesFile], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\n').filter(Boolean).map((line) => JSON.parse(line)).map((r) => [r.name, r]));

const shown = (text) => JSON.stringify(text.length > 200 ? text.slice(0, 200) + '…' : text);
let agree = 0;
const problems = [];
for (const c of cases) {
  const reference = twitterText.parseTweet(c.text).weightedLength;
  const mine = ours.get(c.name) || { error: 'no line printed' };
  if (reference !== c.weightedLength)
    problems.push(`${c.name}: the table says ${c.weightedLength}, the reference ${reference}\n  text: ${shown(c.text)}`);
  if (mine.weightedLength === reference) agree++;
  else problems.push(`${c.name}: ours ${mine.error ? 'failed: ' + mine.error : mine.weightedLength}, reference ${reference}\n  text: ${shown(c.text)}`);
}
console.log(`${agree} of ${cases.length} texts agree with twitter-text ${version}`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
