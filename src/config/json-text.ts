/**
 * JSON syntax errors located by line and column. V8's own messages give a character offset at
 * best, and for an unexpected token only a truncated excerpt ("…", "b": tru}" is not valid JSON),
 * so the first error is found again by a small scanner that follows the JSON grammar (RFC 8259).
 */

/** Where a JSON text first breaks the grammar; `line` and `column` count from 1. */
export interface JsonSyntaxProblem {
  line: number;
  column: number;
  /** What was expected and what was found: `expected ',' or '}', found '"'`. */
  reason: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

/**
 * Parses a JSON text, or says where and why it is not JSON (a leading byte order mark is ignored).
 *
 * @example
 * parseJson('{\n  "a": 1\n  "b": 2\n}') // { ok: false, problem: { line: 3, column: 3, reason: "expected ',' or '}', found '\"'" } }
 */
export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; problem: JsonSyntaxProblem } {
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch {
    return { ok: false, problem: jsonSyntaxProblem(source) };
  }
}

/**
 * The first grammar error of a text that `JSON.parse` refused.
 *
 * @example
 * jsonSyntaxProblem('{"a": tru}') // { line: 1, column: 7, reason: "expected a value, found 't'" }
 */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem {
  let offset = text.length;
  let expected = "a valid JSON text";
  try {
    scan(text);
  } catch (stop) {
    if (!(stop instanceof Stop)) throw stop;
    ({ offset, expected } = stop);
  }
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return { line, column, reason: `expected ${expected}, found ${describeAt(text, offset)}` };
}

/** The character at `offset` as a message can show it. */
function describeAt(text: string, offset: number): string {
  if (offset >= text.length) return "the end of the file";
  const c = text[offset]!;
  if (c === "\n" || c === "\r") return "a line break";
  if (c === "\t") return "a tab";
  if (c.charCodeAt(0) < 0x20)
    return `the control character U+${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  return `'${c}'`;
}

/** Walks the whole text; throws a {@link Stop} at the first character the grammar does not allow. */
function scan(text: string): void {
  let i = 0;
  const stop = (expected: string): never => {
    throw new Stop(i, expected);
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const digits = () => {
    const start = i;
    while (i < text.length && text[i]! >= "0" && text[i]! <= "9") i++;
    if (i === start) stop("a digit");
  };
  const number = () => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else digits();
    if (text[i] === ".") {
      i++;
      digits();
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      digits();
    }
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) stop("'\"' to close the string");
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) stop("four hex digits after \\u");
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? ""))
          stop('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
      }
      i++;
    }
    if (i >= text.length) stop("'\"' to close the string");
    i++;
  };
  const sequence = (close: string, item: () => void) => {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[i] === ",") {
        i++;
        space();
      } else if (text[i] === close) {
        i++;
        return;
      } else stop(`',' or '${close}'`);
    }
  };
  const value = (): void => {
    const c = text[i];
    if (c === "{")
      sequence("}", () => {
        if (text[i] !== '"') stop("a double-quoted key");
        string();
        space();
        if (text[i] !== ":") stop("':'");
        i++;
        space();
        value();
      });
    else if (c === "[") sequence("]", value);
    else if (c === '"') string();
    else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) number();
    else {
      const word = ["true", "false", "null"].find((w) => text.startsWith(w, i));
      if (!word) stop("a value");
      i += word!.length;
    }
  };
  space();
  value();
  space();
  if (i < text.length) stop("the end of the file");
}
