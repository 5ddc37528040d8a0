/**
 * The fenced code blocks of the project's docs (README.md, docs/*.md), each
 * with the marker line right before its opening fence, if any:
 * `<!-- snippet: examples/snippets/<name>.ts -->` (the block is that file,
 * verbatim) or `<!-- fragment -->` (a type signature or one-liner that is not
 * a program).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DocBlock {
  /** The markdown file, relative to the project root. */
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  /** The block's text, each line ending in a newline. */
  readonly content: string;
  readonly marker: { readonly kind: 'snippet'; readonly path: string } | { readonly kind: 'fragment' } | undefined;
}

/** A marker line that is not right before an opening fence. */
export interface StrayMarker {
  readonly doc: string;
  readonly line: number;
  readonly text: string;
}

const SNIPPET_MARKER = /^<!--\s*snippet:\s*(\S+)\s*-->$/;
const FRAGMENT_MARKER = /^<!--\s*fragment\s*-->$/;
const FENCE = /^(`{3,}|~{3,})\s*([\w+-]*)/;

export function docFiles(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

export function parseDoc(root: string, doc: string): { blocks: DocBlock[]; strays: StrayMarker[] } {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  const strays: StrayMarker[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.trim();
    const fence = FENCE.exec(lines[i]!);
    if (fence !== null) {
      const close = lines.findIndex((l, j) => j > i && l.startsWith(fence[1]!) && l.trim() === fence[1]);
      const end = close === -1 ? lines.length : close;
      const body = lines.slice(i + 1, end);
      blocks.push({
        doc,
        line: i + 1,
        lang: fence[2]!.toLowerCase(),
        content: body.map((l) => `${l}\n`).join(''),
        marker: markerOf(lines[i - 1]?.trim() ?? ''),
      });
      i = end;
      continue;
    }
    if ((SNIPPET_MARKER.test(text) || FRAGMENT_MARKER.test(text)) && FENCE.exec(lines[i + 1] ?? '') === null) {
      strays.push({ doc, line: i + 1, text });
    }
  }
  return { blocks, strays };
}

function markerOf(line: string): DocBlock['marker'] {
  const snippet = SNIPPET_MARKER.exec(line);
  if (snippet !== null) return { kind: 'snippet', path: snippet[1]! };
  return FRAGMENT_MARKER.test(line) ? { kind: 'fragment' } : undefined;
}

/** The first line where two texts differ, for a message a person can act on. */
export function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `line ${i + 1} of the block:\n  file: ${JSON.stringify(a[i] ?? '<end of file>')}\n  doc:  ${JSON.stringify(b[i] ?? '<end of block>')}`;
    }
  }
  return 'no difference';
}
