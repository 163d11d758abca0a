// The two checkers every browser test uses: the Nu Html Checker (vnu) over
// files, and axe-core (WCAG 2.2 A and AA) in an open page.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vnuJar from 'vnu-jar';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs vnu (errors only, one JVM) over `files` under `root`; resolves to
 * { errors: ['file:line:col: message [extract]'], status }.
 */
export function vnuErrors(root, files) {
  const r = spawnSync('java', ['-Xss2m', '-jar', String(vnuJar), '--errors-only', '--format', 'json', ...files.map((f) => path.join(root, f))], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 240_000,
  });
  if (r.error) throw new Error(`could not run java: ${r.error}`);
  let messages;
  try {
    messages = JSON.parse(r.stderr || r.stdout).messages;
  } catch {
    throw new Error(`vnu gave no JSON report (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
  }
  const errors = messages
    .filter((m) => m.type === 'error' || m.subType === 'fatal')
    .map((m) => `${path.relative(root, new URL(m.url).pathname)}:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}: ${m.message}${m.extract ? `  [${m.extract.trim()}]` : ''}`);
  return { errors, status: r.status, stderr: r.stderr };
}

/** axe-core's violations in the page now open, one line per node. */
export async function axeViolations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${v.help} -> ${n.target.join(' ')}\n    ${n.failureSummary?.split('\n').join('\n    ')}`));
  }, AXE_TAGS);
}
