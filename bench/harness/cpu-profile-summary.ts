/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and ranks where the time went: self
 * time per function, and per owner (a flapi source file, an npm package, Node's
 * internals, garbage collection, idle), which is what tells a hot path from a cold one.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO_ROOT } from './flights-table.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  /** Time the main thread was busy (idle samples excluded); shares are of this. */
  totalMs: number;
  idleMs: number;
  functions: SelfTime[];
  owners: SelfTime[];
  /** Time with the function anywhere on the stack: what a middleware costs with its callees. */
  inclusive: SelfTime[];
}

function ownerOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const path = url.replace(/^file:\/\//, '');
  const pkg = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return `npm:${pkg[1]}`;
  if (path.startsWith('node:')) return 'node internals';
  if (path.startsWith(REPO_ROOT)) return relative(REPO_ROOT, path).replace(/^dist\//, '');
  return path;
}

/** Where a function lives, short enough to read: package-relative or repository-relative. */
function locationOf(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inPackage = path.match(/node_modules\/(.+)$/);
  if (inPackage) return inPackage[1]!;
  if (path.startsWith(REPO_ROOT)) return relative(REPO_ROOT, path);
  return path || '(native)';
}

function nameOf(frame: ProfileNode['callFrame']): string {
  if (frame.url === '') return frame.functionName || '(native code)';
  return `${frame.functionName || '(anonymous)'} ${locationOf(frame.url)}:${frame.lineNumber + 1}`;
}

function rank(totals: Map<string, number>, totalMs: number, top: number): SelfTime[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, ms, share: totalMs > 0 ? ms / totalMs : 0 }));
}

export function summariseCpuProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const inclusive = new Map<string, number>();
  const functions = new Map<string, number>();
  const owners = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    totalMs += ms;
    const owner = ownerOf(frame.url, frame.functionName);
    const name = nameOf(frame);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const f = byId.get(at)?.callFrame;
      if (f && f.url !== '') onStack.add(nameOf(f));
    }
    for (const key of onStack) inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    functions.set(name, (functions.get(name) ?? 0) + ms);
    owners.set(owner, (owners.get(owner) ?? 0) + ms);
  });
  return {
    totalMs,
    idleMs,
    functions: rank(functions, totalMs, top),
    owners: rank(owners, totalMs, top),
    inclusive: rank(inclusive, totalMs, top),
  };
}

export function renderProfileSummary(title: string, summary: ProfileSummary): string {
  const row = (t: SelfTime): string => `| ${t.name.replaceAll('|', '\\|')} | ${t.ms.toFixed(0)} | ${(t.share * 100).toFixed(1)}% |`;
  return [
    `### ${title}`,
    '',
    `Main thread busy ${summary.totalMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms ` +
      `(${((summary.idleMs / (summary.idleMs + summary.totalMs || 1)) * 100).toFixed(0)}% idle); shares below are of the busy time.`,
    '',
    '| Owner | self ms | share |',
    '|---|---:|---:|',
    ...summary.owners.map(row),
    '',
    '| Function | self ms | share |',
    '|---|---:|---:|',
    ...summary.functions.map(row),
    '',
    '| Function (with callees) | total ms | share |',
    '|---|---:|---:|',
    ...summary.inclusive.map(row),
    '',
  ].join('\n');
}
