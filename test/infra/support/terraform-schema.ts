/**
 * Checks synthesized Terraform JSON without Terraform: every attribute against the schema of the
 * `@cdktf/provider-aws` bindings, and every reference against what the configuration declares.
 *
 * The schema is read from the bindings themselves. Each generated class maps its configuration to
 * Terraform names in `synthesizeAttributes()` (`max_message_size: cdktf.numberToTerraform(this._maxMessageSize)`),
 * and each nested block through an exported `<struct>ToTerraform(struct)` function of the same shape
 * (`environment: lambdaFunctionEnvironmentToTerraform(this._environment.internalValue)`). Reading the
 * keys of those object literals gives the argument and block names at every level, for the provider
 * version the bindings were generated from (6.25.0 for @cdktf/provider-aws 21.22).
 */
import { TerraformDataSource, TerraformProvider, TerraformResource } from "cdktf";

/** The argument and nested block names of one block type. */
export interface BlockSchema {
  attributes: ReadonlySet<string>;
  blocks: ReadonlyMap<string, BlockSchema>;
}

/** The bindings do not have what a check needs: an unknown type, or generated code of a new shape. */
export class BindingSchemaError extends Error {
  override readonly name = "BindingSchemaError";
}

type BindingModule = Record<string, unknown>;
type Generated = ((...args: never[]) => unknown) & { tfResourceType?: string; prototype: object };

/** Arguments Terraform accepts on every resource or data block (and cdktf's metadata key). */
const RESOURCE_META_ARGUMENTS = new Set([
  "count",
  "depends_on",
  "for_each",
  "lifecycle",
  "provider",
  "provisioner",
  "connection",
  "//",
]);
/** Arguments Terraform accepts on every provider block. */
const PROVIDER_META_ARGUMENTS = new Set(["alias", "version"]);
/** The arguments of an output block. */
const OUTPUT_ARGUMENTS = new Set([
  "value",
  "description",
  "sensitive",
  "ephemeral",
  "depends_on",
  "precondition",
]);

/**
 * The top-level entries (`key: expression`) of the first `return { … }` object literal in `source`.
 *
 * @example
 * returnedEntries("f(s) { return struct; return { a: x(s.a), b_c: y(z)(s.bC) }; }")
 * // [["a", "x(s.a)"], ["b_c", "y(z)(s.bC)"]]
 */
export function returnedEntries(source: string): Array<[string, string]> {
  const start = source.indexOf("return {");
  if (start < 0) throw new BindingSchemaError(`no "return {" in generated code: ${source.slice(0, 120)}`);
  const entries: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = start + "return {".length; i < source.length; i++) {
    const c = source[i]!;
    if (c === '"' || c === "'") {
      const end = source.indexOf(c, i + 1);
      current += source.slice(i, end + 1);
      i = end;
      continue;
    }
    if ("([{".includes(c)) depth++;
    if (")]}".includes(c)) {
      if (depth === 0) {
        entries.push(current);
        return entries
          .map((entry) => entry.trim())
          .filter(Boolean)
          .map((entry) => {
            const match = /^["']?([\w-]+)["']?\s*:\s*([\s\S]+)$/.exec(entry);
            if (!match) throw new BindingSchemaError(`unexpected entry in generated code: ${entry}`);
            return [match[1]!, match[2]!];
          });
      }
      depth--;
    }
    if (c === "," && depth === 0) {
      entries.push(current);
      current = "";
    } else current += c;
  }
  throw new BindingSchemaError(
    `unbalanced object literal in generated code: ${source.slice(start, start + 120)}`,
  );
}

/** The name of the nested-block mapper an expression calls, if any (`lambdaFunctionEnvironmentToTerraform`). */
function nestedMapper(expression: string): string | undefined {
  const foreign = /\b(\w+)\.(\w+ToTerraform)\b/.exec(expression);
  if (foreign && foreign[1] !== "cdktf")
    throw new BindingSchemaError(`nested block mapped by another module (${foreign[0]}): not supported`);
  return /(?<![.\w])(\w+ToTerraform)\b/.exec(expression)?.[1];
}

/**
 * Reads block schemas out of generated bindings; caches per mapper function.
 */
class SchemaReader {
  private readonly cache = new Map<unknown, BlockSchema>();

  constructor(private readonly module: BindingModule) {}

  /** The schema of the object literal `source` returns; nested mappers are looked up in the module. */
  read(source: string): BlockSchema {
    const attributes = new Set<string>();
    const blocks = new Map<string, BlockSchema>();
    for (const [key, expression] of returnedEntries(source)) {
      const mapper = nestedMapper(expression);
      if (mapper) blocks.set(key, this.nested(mapper));
      else attributes.add(key);
    }
    return { attributes, blocks };
  }

  private nested(name: string): BlockSchema {
    const fn = this.module[name];
    if (typeof fn !== "function") throw new BindingSchemaError(`${name} is not exported by its module`);
    const cached = this.cache.get(fn);
    if (cached) return cached;
    const schema = this.read(fn.toString());
    this.cache.set(fn, schema);
    return schema;
  }
}

/** The kinds of blocks the bindings describe. */
export type BlockKind = "resource" | "data" | "provider";

/**
 * The bindings module (`@cdktf/provider-aws/lib/<dir>`) for a block type.
 *
 * @example
 * bindingModuleName("resource", "aws_sqs_queue") // "sqs-queue"
 * bindingModuleName("data", "aws_iam_policy_document") // "data-aws-iam-policy-document"
 */
export function bindingModuleName(kind: BlockKind, type: string): string {
  if (kind === "provider") return "provider";
  const dashed = type.replace(/_/g, "-");
  return kind === "data" ? `data-${dashed}` : dashed.replace(/^aws-/, "");
}

const bindingBase = { resource: TerraformResource, data: TerraformDataSource, provider: TerraformProvider };

/**
 * The generated class for a block type, checked to be of that kind and to carry that type name.
 *
 * @example
 * bindingClass("resource", "aws_sqs_queue") // SqsQueue
 */
export function bindingClass(kind: BlockKind, type: string): { module: BindingModule; cls: Generated } {
  const name = bindingModuleName(kind, type);
  let module: BindingModule;
  try {
    module = require(`@cdktf/provider-aws/lib/${name}`) as BindingModule;
  } catch {
    throw new BindingSchemaError(`no ${kind} "${type}" in @cdktf/provider-aws (no lib/${name})`);
  }
  const cls = Object.values(module).find(
    (value): value is Generated =>
      typeof value === "function" &&
      (value as Generated).tfResourceType === type &&
      value.prototype instanceof bindingBase[kind],
  );
  if (!cls) throw new BindingSchemaError(`lib/${name} has no ${kind} class for "${type}"`);
  return { module, cls };
}

const schemas = new Map<string, BlockSchema>();

/**
 * The argument and nested block names of a resource, data source or the provider (`type` "aws").
 *
 * @example
 * bindingSchema("resource", "aws_sqs_queue").attributes.has("max_message_size") // true
 * bindingSchema("resource", "aws_lambda_function").blocks.get("environment")?.attributes // Set {"variables"}
 */
export function bindingSchema(kind: BlockKind, type: string): BlockSchema {
  const key = `${kind}:${type}`;
  const cached = schemas.get(key);
  if (cached) return cached;
  const { module, cls } = bindingClass(kind, type);
  const synthesize = (cls.prototype as { synthesizeAttributes?: () => unknown }).synthesizeAttributes;
  if (typeof synthesize !== "function")
    throw new BindingSchemaError(`${type} has no synthesizeAttributes in its bindings`);
  const schema = new SchemaReader(module).read(synthesize.toString());
  schemas.set(key, schema);
  return schema;
}

/** Extra argument names to accept per block type (`{ aws_lambda_permission: ["invoked_via_function_url"] }`). */
export type Allowances = Readonly<Record<string, readonly string[]>>;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Problems with the keys of one block (and of its nested blocks) against `schema`. */
function blockProblems(
  block: Json,
  schema: BlockSchema,
  address: string,
  allowed: ReadonlySet<string>,
): string[] {
  return Object.entries(block).flatMap(([key, value]) => {
    const nested = schema.blocks.get(key);
    if (nested) {
      // A block is an object, a list of objects, or a token (`${…}`) cdktf left for Terraform.
      const items = Array.isArray(value) ? value : [value];
      return items.flatMap((item, i) =>
        isObject(item)
          ? blockProblems(item, nested, `${address}.${key}${Array.isArray(value) ? `[${i}]` : ""}`, new Set())
          : [],
      );
    }
    if (schema.attributes.has(key) || allowed.has(key)) return [];
    return [`${address}: no argument or block "${key}" in the bindings' schema`];
  });
}

/**
 * Every key of every resource, data source, provider and output block that the bindings' schema
 * (plus Terraform's meta-arguments and `allowances`) does not know, as `<address>: …` lines.
 *
 * @example
 * schemaProblems(json) // []
 * schemaProblems(withBogus) // ['aws_sqs_queue.q: no argument or block "bogus_attribute" in the bindings\' schema']
 */
export function schemaProblems(synthesized: object, allowances: Allowances = {}): string[] {
  const json = synthesized as Json;
  const problems: string[] = [];
  const sections: Array<[BlockKind, string, unknown]> = [
    ["resource", "", json.resource],
    ["data", "data.", json.data],
  ];
  for (const [kind, prefix, section] of sections) {
    for (const [type, byId] of Object.entries(isObject(section) ? section : {})) {
      let schema: BlockSchema;
      try {
        schema = bindingSchema(kind, type);
      } catch (error) {
        if (!(error instanceof BindingSchemaError)) throw error;
        problems.push(`${prefix}${type}: ${error.message}`);
        continue;
      }
      const allowed = new Set([...RESOURCE_META_ARGUMENTS, ...(allowances[type] ?? [])]);
      for (const [id, block] of Object.entries(isObject(byId) ? byId : {}))
        problems.push(...blockProblems(block as Json, schema, `${prefix}${type}.${id}`, allowed));
    }
  }
  for (const [name, configs] of Object.entries(isObject(json.provider) ? json.provider : {})) {
    if (name !== "aws") {
      problems.push(`provider.${name}: not the aws provider, whose bindings this check reads`);
      continue;
    }
    for (const [i, config] of (configs as Json[]).entries())
      problems.push(
        ...blockProblems(
          config,
          bindingSchema("provider", "aws"),
          `provider.aws[${i}]`,
          PROVIDER_META_ARGUMENTS,
        ),
      );
  }
  for (const [name, output] of Object.entries(isObject(json.output) ? json.output : {}))
    for (const key of Object.keys(output as Json))
      if (!OUTPUT_ARGUMENTS.has(key))
        problems.push(`output.${name}: no argument "${key}" in an output block`);
  return problems;
}

/** Index of the `"` closing the string literal whose content starts at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text.startsWith("${", i)) i = endOfExpression(text, i + 2);
    else if (text[i] === '"') return i;
  }
  throw new BindingSchemaError(`unterminated string in expression: ${text}`);
}

/** Index of the `}` closing the interpolation whose expression starts at `start`. */
function endOfExpression(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = endOfString(text, i + 1);
    else if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  throw new BindingSchemaError(`unbalanced interpolation: ${text}`);
}

/**
 * The expressions interpolated in a template string (`${…}`, not the escaped `$${…}`), outermost first.
 *
 * @example
 * interpolations("arn:${aws_s3_bucket.b.arn}/*") // ["aws_s3_bucket.b.arn"]
 */
export function interpolations(template: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < template.length; i++) {
    if (template.startsWith("$${", i)) i += 2;
    else if (template.startsWith("${", i)) {
      const end = endOfExpression(template, i + 2);
      found.push(template.slice(i + 2, end));
      i = end;
    }
  }
  return found;
}

/**
 * The traversals (`aws_sqs_queue.q.arn`, `data.aws_iam_policy_document.d.json`, `var.v`) in one
 * expression, including those in templates nested in its string literals; object keys in quotes,
 * function names and literals are not traversals.
 *
 * @example
 * traversals('jsonencode({"deadLetterTargetArn" = aws_sqs_queue.dlq.arn, "n" = 5})') // ["aws_sqs_queue.dlq.arn"]
 */
export function traversals(expression: string): string[] {
  const nested: string[] = [];
  let bare = "";
  for (let i = 0; i < expression.length; i++) {
    if (expression[i] === '"') {
      const end = endOfString(expression, i + 1);
      nested.push(...interpolations(expression.slice(i + 1, end)).flatMap(traversals));
      bare += '""';
      i = end;
    } else bare += expression[i];
  }
  const own = [...bare.matchAll(/(?<![\w.-])[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+/g)].map((m) => m[0]);
  return [...own, ...nested];
}

/** Roots that name no declaration: iteration and context values Terraform provides. */
const CONTEXT_ROOTS = new Set(["each", "count", "self", "path", "terraform"]);

const snakeToCamel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Why one traversal does not resolve, or undefined when it does. */
function unresolved(json: Json, traversal: string): string | undefined {
  const [root, second, third] = traversal.split(".") as [string, string?, string?];
  const declared = (section: unknown, ...path: string[]) =>
    path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), section) !== undefined;
  if (CONTEXT_ROOTS.has(root)) return undefined;
  if (root === "var") return declared(json.variable, second!) ? undefined : `no variable "${second}"`;
  if (root === "local") return declared(json.locals, second!) ? undefined : `no local "${second}"`;
  if (root === "module") return declared(json.module, second!) ? undefined : `no module "${second}"`;
  const [kind, type, name, attribute] =
    root === "data"
      ? (["data", second!, third, traversal.split(".")[3]] as const)
      : (["resource", root, second, third] as const);
  if (!name || !declared(json[kind], type, name))
    return `no ${kind === "data" ? "data source" : "resource"} ${type}.${name}`;
  if (attribute && !(snakeToCamel(attribute) in bindingClass(kind, type).cls.prototype))
    return `${type} has no attribute "${attribute}" in the bindings`;
  return undefined;
}

/** Every string in a JSON value, with its path. */
function* strings(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === "string") yield [path, value];
  else if (Array.isArray(value))
    for (const [i, item] of value.entries()) yield* strings(item, `${path}[${i}]`);
  else if (isObject(value))
    for (const [key, item] of Object.entries(value)) yield* strings(item, `${path}.${key}`);
}

/**
 * Every `${…}` reference (and every `depends_on` entry) that does not resolve to a declared resource,
 * data source, variable, local or module, or names an attribute the bindings do not expose, as
 * `<where>: <reference> → <why>` lines. The `terraform` block (backend settings) holds no references.
 *
 * @example
 * referenceProblems(json) // []
 * referenceProblems(dangling) // ["resource.aws_sqs_queue.q.redrive_policy: aws_sqs_queue.missing.arn → no resource aws_sqs_queue.missing"]
 */
export function referenceProblems(synthesized: object): string[] {
  const json = synthesized as Json;
  const problems: string[] = [];
  for (const section of ["resource", "data", "output", "provider", "locals", "module"]) {
    for (const [path, text] of strings(json[section], section)) {
      const found = /\.depends_on\[\d+\]$/.test(path) ? [text] : interpolations(text).flatMap(traversals);
      for (const traversal of found) {
        const why = unresolved(json, traversal);
        if (why) problems.push(`${path}: ${traversal} → ${why}`);
      }
    }
  }
  return problems;
}
