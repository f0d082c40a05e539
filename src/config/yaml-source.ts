/**
 * A YAML file kept together with its syntax tree, so that a path in the parsed data
 * (["accounts", 1, "numbers", 0, "areaCode"]) can be traced back to a line and column.
 */
import {
  Composer,
  type CST,
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  Parser,
  YAMLParseError,
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
  /**
   * How the scalar at `path` is written (`true`, `True`, `"true"`, `!!bool true` …), for rules
   * that accept one spelling only; undefined when the path holds no scalar.
   */
  written(path: DataPath): WrittenScalar | undefined;
}

export interface WrittenScalar {
  /** The source text of the value, without quotes or tag. */
  text: string;
  /** Written with an explicit tag (`!!bool`). */
  tagged: boolean;
  /** Written plain (not quoted, not a block scalar). */
  plain: boolean;
}

/**
 * Aliases (*anchor) are followed, and an anchor may be reused as often as wanted; what is limited
 * is the size of the document once every alias is expanded (an "alias bomb" of nested aliases is
 * tiny on disk and enormous expanded). A real accounts file has a few nodes per line.
 */
export const MAX_EXPANDED_NODES = 200_000;
/** Deeper nesting than this is no accounts file (and deep recursion is a way to crash a reader). */
export const MAX_NESTING_DEPTH = 64;
/** The YAML version the files are read as; a %YAML directive naming another is refused. */
const YAML_VERSION = "1.2";
/** Tags of the YAML 1.2 core schema: anything else (!!binary, !!timestamp, custom tags) is refused. */
const CORE_TAGS = new Set([
  "tag:yaml.org,2002:str",
  "tag:yaml.org,2002:int",
  "tag:yaml.org,2002:float",
  "tag:yaml.org,2002:bool",
  "tag:yaml.org,2002:null",
  "tag:yaml.org,2002:map",
  "tag:yaml.org,2002:seq",
]);

export function readYamlSource(text: string): YamlSource {
  const lineCounter = new LineCounter();
  // YAML 1.2, core schema: `yes`/`on` are strings, `0514` is 514, no merge keys. The options pin
  // it; a %YAML 1.1 directive would switch the reader back to 1.1, hence the check below.
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };

  // What parseDocument does, in its two steps, so that the nesting depth is checked between them:
  // the parser is iterative, but composing the syntax tree recurses once per level, and thousands
  // of levels (`{a: {a: …`) overflow the stack, slowly, and report "Maximum call stack size
  // exceeded" at a place that means nothing to a reader.
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const tooDeep = firstTooDeepCollection(tokens);
  if (tooDeep !== undefined) {
    return {
      data: undefined,
      problems: [
        {
          ...position(tooDeep),
          message: `YAML error: nested deeper than ${MAX_NESTING_DEPTH} levels`,
        },
      ],
      locate: () => position(tooDeep),
      written: () => undefined,
    };
  }
  const doc = composeDocument(tokens, text.length);

  const problems: YamlProblem[] = [...doc.errors, ...doc.warnings].map((error) => ({
    ...position(error.pos[0]),
    message: `YAML syntax error: ${firstLine(error.message)}`,
  }));
  const directive = /^%YAML[ \t]+(\S+)/m.exec(text);
  if (directive && directive[1] !== YAML_VERSION && problems.length === 0) {
    problems.push({
      ...position(directive.index + directive[0].length - (directive[1]?.length ?? 0)),
      message: `YAML ${directive[1]} is not supported: accounts files are read as YAML ${YAML_VERSION} (core schema), where yes/no are strings and 0514 is 514; remove the %YAML directive`,
    });
  }
  if (problems.length === 0) problems.push(...structureProblems(doc, position));

  let data: unknown;
  if (problems.length === 0) {
    // Expansion is bounded above, so the library's own alias counter (which also refuses an
    // anchor legitimately reused many times) is off.
    try {
      data = doc.toJS({ maxAliasCount: -1 });
    } catch (error) {
      // Not expected after the checks above; still a located problem, never an unexplained crash.
      const message = error instanceof Error ? error.message : String(error);
      problems.push({ ...position(startOf(doc.contents) ?? 0), message: `YAML error: ${message}` });
    }
  }

  return {
    data,
    problems,
    locate: (path, options) => position(locateOffset(doc, path, options?.atKey ?? false)),
    written: (path) => {
      const node = nodeAt(doc, path);
      if (!isScalar(node)) return undefined;
      return {
        text: String(node.source ?? node.value),
        tagged: node.tag !== undefined,
        plain: node.type === "PLAIN",
      };
    },
  };
}

/** The first document of `tokens`, read as YAML 1.2 with the core schema (see readYamlSource). */
function composeDocument(tokens: CST.Token[], length: number): Document {
  const composer = new Composer({
    uniqueKeys: true,
    version: YAML_VERSION,
    schema: "core",
    merge: false,
  });
  let doc: Document | undefined;
  for (const next of composer.compose(tokens, true, length)) {
    if (!doc) {
      doc = next;
      continue;
    }
    // A second document: reported as parseDocument reports it (the file holds one document).
    doc.errors.push(
      new YAMLParseError(
        [next.range[0], next.range[1]],
        "MULTIPLE_DOCS",
        "Source contains multiple documents; please use YAML.parseAllDocuments()",
      ),
    );
    break;
  }
  // compose(…, forceDoc = true) always yields a document, even for an empty file.
  return doc as Document;
}

/**
 * The offset of the first collection nested deeper than MAX_NESTING_DEPTH in the syntax tree
 * (a flow or block mapping or sequence), or undefined. Walked in document order with an explicit
 * stack (children pushed last-first), so no input can make the walk itself overflow.
 */
function firstTooDeepCollection(tokens: readonly CST.Token[]): number | undefined {
  const stack: Array<{ token: CST.Token | null | undefined; depth: number }> = tokens
    .map((token) => ({ token, depth: 0 }))
    .reverse();
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { token, depth } = next;
    if (!token) continue;
    if (token.type === "document") {
      stack.push({ token: token.value, depth: 0 });
    } else if (
      token.type === "block-map" ||
      token.type === "block-seq" ||
      token.type === "flow-collection"
    ) {
      // Depth as structureProblems counts it: the document's top node is at depth 0.
      if (depth > MAX_NESTING_DEPTH) return token.offset;
      for (const item of [...token.items].reverse()) {
        const { key, value } = item as CST.CollectionItem;
        stack.push({ token: value, depth: depth + 1 }, { token: key, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/**
 * Walks the syntax tree once: tags outside the core schema, nesting depth, aliases that contain
 * themselves, and the expanded size. Each problem is located at its own node.
 */
function structureProblems(
  doc: Document,
  position: (offset: number) => SourcePosition,
): YamlProblem[] {
  const expandedSize = new Map<unknown, number>();
  const onPath = new Set<unknown>();
  let total = 0;
  let problem: YamlProblem | undefined;
  const fail = (node: unknown, message: string) => {
    problem ??= { ...position(startOf(node as Node) ?? 0), message };
  };

  /** Expanded size of `node`; stops early (returns 0) once a problem is found. */
  const sizeOf = (node: unknown, depth: number): number => {
    if (problem || node === null || node === undefined) return 0;
    if (depth > MAX_NESTING_DEPTH) {
      fail(node, `YAML error: nested deeper than ${MAX_NESTING_DEPTH} levels`);
      return 0;
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined) {
        fail(node, `YAML error: alias *${node.source} has no anchor &${node.source} before it`);
        return 0;
      }
      if (onPath.has(target)) {
        fail(node, `YAML error: alias *${node.source} refers to a node that contains it`);
        return 0;
      }
      const size = expandedSize.get(target) ?? sizeOf(target, depth);
      total += size;
      if (total > MAX_EXPANDED_NODES) {
        fail(
          node,
          `YAML error: aliases expand the document beyond ${MAX_EXPANDED_NODES} nodes (alias *${node.source} alone adds ${size}); write the values out, or nest fewer aliases`,
        );
      }
      return size;
    }
    const tag = (node as { tag?: string }).tag;
    if (tag !== undefined && !CORE_TAGS.has(tag)) {
      fail(
        node,
        `YAML error: tag ${tag} is not allowed (accounts files use plain YAML 1.2 values)`,
      );
      return 0;
    }
    let size = 1;
    total += 1;
    onPath.add(node);
    if (isMap(node)) {
      for (const pair of node.items) {
        size += sizeOf(pair.key, depth + 1) + sizeOf(pair.value, depth + 1);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) size += sizeOf(item, depth + 1);
    }
    onPath.delete(node);
    if ((node as { anchor?: string }).anchor !== undefined) expandedSize.set(node, size);
    if (total > MAX_EXPANDED_NODES)
      fail(node, `YAML error: the document has more than ${MAX_EXPANDED_NODES} nodes`);
    return size;
  };
  sizeOf(doc.contents, 0);
  return problem ? [problem] : [];
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

/** The node at `path`, following aliases on the way and at the end. */
function nodeAt(doc: Document, path: DataPath): unknown {
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      node = node.items.find(
        (item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === segment,
      )?.value;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
    } else {
      return undefined;
    }
  }
  return isAlias(node) ? node.resolve(doc) : node;
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
