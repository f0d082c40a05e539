/**
 * A YAML file kept together with its syntax tree, so that a path in the parsed data
 * (["accounts", 1, "numbers", 0, "areaCode"]) can be traced back to a line and column.
 */
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from "yaml";

export type DataPath = readonly PropertyKey[];

export interface SourcePosition {
  line: number;
  column: number;
}

export interface YamlProblem extends SourcePosition {
  message: string;
}

export interface YamlSource {
  /** The plain data (undefined when the file is empty or could not be parsed). */
  data: unknown;
  /** YAML syntax problems; when there are any, `data` must not be used. */
  problems: YamlProblem[];
  /**
   * Where the value at `path` is written. With `atKey`, where its key is written (used for
   * unknown keys). A path that does not exist in the document (a missing key) resolves to the
   * deepest mapping or list that does.
   */
  locate(path: DataPath, options?: { atKey?: boolean }): SourcePosition;
}

/** Aliases (*anchor) are followed; a document with too many is rejected by toJS. */
const MAX_ALIAS_COUNT = 100;

export function readYamlSource(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });

  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };

  const problems: YamlProblem[] = [...doc.errors, ...doc.warnings].map((error) => ({
    ...position(error.pos[0]),
    message: `YAML syntax error: ${firstLine(error.message)}`,
  }));

  let data: unknown;
  if (problems.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problems.push({ line: 1, column: 1, message: `YAML error: ${message}` });
    }
  }

  return {
    data,
    problems,
    locate: (path, options) => position(locateOffset(doc, path, options?.atKey ?? false)),
  };
}

function firstLine(message: string): string {
  return message.split("\n", 1)[0] ?? message;
}

function startOf(node: Node | null | undefined): number | undefined {
  return node?.range?.[0];
}

function isEmptyNode(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (!isScalar(node) || node.value !== null) return false;
  const range = node.range;
  return range === undefined || range === null || range[0] === range[1];
}

function locateOffset(doc: Document, path: DataPath, atKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = startOf(doc.contents) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const isLast = i === path.length - 1;
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === segment,
      );
      if (pair === undefined) return offset;
      const keyStart = isScalar(pair.key) ? startOf(pair.key) : undefined;
      if (isLast && atKey && keyStart !== undefined) return keyStart;
      node = pair.value;
      // A key written with no value ("smsUrl:") has an empty value node, or none: point at the key.
      if (isEmptyNode(node)) return keyStart ?? offset;
      offset = startOf(node as Node) ?? keyStart ?? offset;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) return offset;
      node = item;
      offset = startOf(item as Node | null) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}
