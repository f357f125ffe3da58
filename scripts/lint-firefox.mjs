// `npm run lint:firefox`: web-ext lint on dist/firefox/, failing on any error and on any warning that is not one of
// the known false alarms in bundled libraries (docs/STORE.md, "web-ext lint"). web-ext itself exits 0 on warnings,
// so without this a new warning — from smartTags' own code or a library update — would pass unseen.
//
// A known warning is recognised by its code and by the bundled code it points at, not by the chunk's hashed name:
// - UNSAFE_VAR_ASSIGNMENT at Preact's `dom.innerHTML = props.dangerouslySetInnerHTML.__html`, which no component reaches;
// - DANGEROUS_EVAL at zod's `Function('')` probe, behind the `jitless` setting src/shared/zod.ts turns on;
// - UNSAFE_VAR_ASSIGNMENT at zip.js's `import(codecURI)`, reached only when a codec URL is configured, which
//   src/options/instagramZip.ts never does.
// tests/unit/firefoxLint.test.ts shows why neither can happen; this script shows they are the only ones.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const sourceDir = 'dist/firefox';
const falseAlarms = [
  { code: 'UNSAFE_VAR_ASSIGNMENT', library: 'Preact', signature: /\.innerHTML=\w+\.__html/ },
  { code: 'DANGEROUS_EVAL', library: 'zod', signature: /\.jitless\b[^}]{0,200}Function\(/ },
  // zip.js's ensureCodecStreams: `if (!codecStreams.has(format) && codecURI) … await import(codecURI)`.
  { code: 'UNSAFE_VAR_ASSIGNMENT', library: 'zip.js', signature: /\.has\(\w+\)&&\w+&&\w+\(\w+,await import\(\w+\)\)/ },
];

// web-ext exits 1 when there are errors; its JSON report is on stdout either way.
let output;
try {
  output = execFileSync('node_modules/.bin/web-ext', ['lint', `--source-dir=${sourceDir}`, '--output=json'], {
    encoding: 'utf8',
  });
} catch (failure) {
  output = failure.stdout;
}
const report = JSON.parse(output);

/** The bundled code around a finding, where its signature must be. */
function codeAround({ file, line, column }) {
  const text = readFileSync(`${sourceDir}/${file}`, 'utf8').split('\n')[line - 1] ?? '';
  return text.slice(Math.max(0, column - 300), column + 100);
}

const problems = [...report.errors];
let knownWarnings = 0;
for (const warning of report.warnings) {
  const known = falseAlarms.find(({ code, signature }) => code === warning.code && signature.test(codeAround(warning)));
  if (known) {
    knownWarnings += 1;
    console.log(`known false alarm (${known.library}; docs/STORE.md): ${warning.code} in ${warning.file}`);
  } else problems.push(warning);
}
for (const notice of report.notices) console.log(`notice: ${notice.code} ${notice.message} (${notice.file ?? ''})`);
for (const { _type, code, message, file, line } of problems) {
  console.error(`${_type}: ${code} ${message} (${file ?? 'manifest'}${line ? `:${line}` : ''})`);
}
const { errors, warnings, notices } = report.summary;
console.log(
  `web-ext lint: ${errors} errors, ${warnings} warnings of which ${knownWarnings} known false alarms, ${notices} notices`,
);
if (problems.length > 0) process.exit(1);
