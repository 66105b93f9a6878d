/**
 * examples/cdktf, the CDK for Terraform app that consumes the module:
 * - its hand-written input types (module-inputs.ts) against the module's variables.tf, parsed with
 *   @cdktf/hcl2json, so the interface cannot drift from the module: every variable and object
 *   attribute, its type and its optionality, and nothing extra; likewise the output names;
 * - the app synthesized the way `cdktf synth` runs it (a child process, CDKTF_OUTDIR set), inside a
 *   staged copy of the repository where the stack's relative module source resolves, then
 *   `terraform init` + `plan` + `validate` of the synthesized stack offline through the harness;
 * - once, `npx cdktf synth` itself (cdktf-cli), which must synthesize that same stack.
 */
import { execFile } from "node:child_process";
import { readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "@cdktf/hcl2json";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import {
  allPlannedResources,
  offlineProviderSettings,
  planJson,
  removeStage,
  repoRoot,
  stageWorkspace,
  terraform,
} from "../../local/terraform/terraform-cli.ts";

const execFileAsync = promisify(execFile);
const exampleDir = join(repoRoot, "examples", "cdktf");
const inputsFile = join(exampleDir, "module-inputs.ts");
const planTimeout = 300_000;

////////////////////////////////////////////////////////////////////////////////
// Types on both sides, reduced to what Terraform can tell apart
////////////////////////////////////////////////////////////////////////////////

/** A Terraform type constraint, or the TypeScript type standing for it (sets are arrays in TS). */
type Shape =
  | { readonly kind: "string" | "number" | "bool" | "any" }
  | { readonly kind: "list" | "map"; readonly element: Shape }
  | { readonly kind: "object"; readonly attributes: ReadonlyMap<string, Attribute> };

interface Attribute {
  readonly shape: Shape;
  /** `optional()` in Terraform, a variable with a default, or `?` in TypeScript. */
  readonly optional: boolean;
}

function describeShape(shape: Shape): string {
  switch (shape.kind) {
    case "list":
    case "map":
      return `${shape.kind}(${describeShape(shape.element)})`;
    case "object":
      return `object({${[...shape.attributes.keys()].join(", ")}})`;
    default:
      return shape.kind;
  }
}

/** Where the two sides disagree, one line each, with the attribute's path. */
function differences(path: string, expected: Shape, actual: Shape): string[] {
  if (expected.kind === "any") return [];
  if (expected.kind !== actual.kind) {
    return [`${path}: variables.tf says ${describeShape(expected)}, module-inputs.ts ${describeShape(actual)}`];
  }
  if ((expected.kind === "list" || expected.kind === "map") && (actual.kind === "list" || actual.kind === "map")) {
    return differences(`${path}${expected.kind === "list" ? "[]" : "{}"}`, expected.element, actual.element);
  }
  if (expected.kind === "object" && actual.kind === "object") {
    return attributeDifferences(`${path}.`, expected.attributes, actual.attributes);
  }
  return [];
}

function attributeDifferences(
  prefix: string,
  expected: ReadonlyMap<string, Attribute>,
  actual: ReadonlyMap<string, Attribute>,
): string[] {
  const found: string[] = [];
  for (const [name, attribute] of expected) {
    const counterpart = actual.get(name);
    if (counterpart === undefined) {
      found.push(`${prefix}${name}: in variables.tf, missing from module-inputs.ts`);
      continue;
    }
    if (attribute.optional !== counterpart.optional) {
      found.push(
        `${prefix}${name}: ${attribute.optional ? "optional" : "required"} in variables.tf, ` +
          `${counterpart.optional ? "optional" : "required"} in module-inputs.ts`,
      );
    }
    found.push(...differences(`${prefix}${name}`, attribute.shape, counterpart.shape));
  }
  for (const name of actual.keys()) {
    if (!expected.has(name)) found.push(`${prefix}${name}: in module-inputs.ts, not in variables.tf`);
  }
  return found;
}

////////////////////////////////////////////////////////////////////////////////
// variables.tf
////////////////////////////////////////////////////////////////////////////////

/**
 * Reads a type constraint as hcl2json renders it (`${object({ a = optional(string, "x") })}`).
 * Only the type constructors matter; an `optional()` default is skipped whatever it holds.
 */
class TypeConstraintParser {
  private readonly tokens: string[];
  private position = 0;

  private constructor(text: string) {
    // Strings stay one token so brackets inside a default value do not count as nesting.
    this.tokens = (text.match(/"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_-]*|-?\d+(?:\.\d+)?|\S/g) ?? []).slice();
  }

  static parse(expression: string): Shape {
    const inner = /^\$\{([\s\S]*)\}$/.exec(expression)?.[1];
    if (inner === undefined) throw new Error(`not a type expression: ${expression}`);
    const parser = new TypeConstraintParser(inner);
    const shape = parser.requiredType();
    if (parser.position !== parser.tokens.length) throw new Error(`trailing input in ${expression}`);
    return shape;
  }

  private peek(): string | undefined {
    return this.tokens[this.position];
  }

  private next(): string {
    const token = this.tokens[this.position++];
    if (token === undefined) throw new Error("type expression ends early");
    return token;
  }

  private expect(token: string): void {
    const found = this.next();
    if (found !== token) throw new Error(`expected ${token} in a type expression, found ${found}`);
  }

  private requiredType(): Shape {
    const attribute = this.type();
    if (attribute.optional) throw new Error("optional() outside an object attribute");
    return attribute.shape;
  }

  private type(): Attribute {
    const name = this.next();
    switch (name) {
      case "string":
      case "number":
      case "bool":
      case "any":
        return { shape: { kind: name }, optional: false };
      case "list":
      case "set":
      case "map": {
        this.expect("(");
        const element = this.requiredType();
        this.expect(")");
        return { shape: { kind: name === "map" ? "map" : "list", element }, optional: false };
      }
      case "optional": {
        this.expect("(");
        const shape = this.requiredType();
        if (this.peek() === ",") this.skipDefault();
        this.expect(")");
        return { shape, optional: true };
      }
      case "object": {
        this.expect("(");
        this.expect("{");
        const attributes = new Map<string, Attribute>();
        while (this.peek() !== "}") {
          const key = this.next();
          this.expect("=");
          attributes.set(key, this.type());
          if (this.peek() === ",") this.next();
        }
        this.expect("}");
        this.expect(")");
        return { shape: { kind: "object", attributes }, optional: false };
      }
      default:
        throw new Error(`unsupported type constructor in variables.tf: ${name}`);
    }
  }

  /** Skips `, <default>` up to the `)` that closes `optional(`. */
  private skipDefault(): void {
    this.expect(",");
    let depth = 0;
    for (let token = this.peek(); depth > 0 || token !== ")"; token = this.peek()) {
      if (token === undefined) throw new Error("unterminated optional() default");
      if (token === "(" || token === "{" || token === "[") depth += 1;
      if (token === ")" || token === "}" || token === "]") depth -= 1;
      this.next();
    }
  }
}

interface HclVariableBlock {
  readonly type?: string;
  readonly default?: unknown;
}

async function terraformVariables(text: string): Promise<Map<string, Attribute>> {
  const parsed = (await parse("variables.tf", text)) as { variable?: Record<string, HclVariableBlock[]> };
  const variables = new Map<string, Attribute>();
  for (const [name, blocks] of Object.entries(parsed.variable ?? {})) {
    const block = blocks[0];
    if (block === undefined) continue;
    variables.set(name, {
      shape: block.type === undefined ? { kind: "any" } : TypeConstraintParser.parse(block.type),
      // A variable with a default (even null) may be left out of the module block.
      optional: "default" in block,
    });
  }
  return variables;
}

async function terraformOutputNames(): Promise<string[]> {
  const text = await readFile(join(repoRoot, "outputs.tf"), "utf8");
  const parsed = (await parse("outputs.tf", text)) as { output?: Record<string, unknown> };
  return Object.keys(parsed.output ?? {}).sort();
}

////////////////////////////////////////////////////////////////////////////////
// module-inputs.ts
////////////////////////////////////////////////////////////////////////////////

type Declaration = ts.InterfaceDeclaration | ts.TypeAliasDeclaration;

/** The declarations of module-inputs.ts, resolved to shapes by syntax (no type checker needed). */
class InputTypes {
  private readonly declarations = new Map<string, Declaration>();

  constructor(text: string) {
    const source = ts.createSourceFile("module-inputs.ts", text, ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
        this.declarations.set(statement.name.text, statement);
      }
    }
  }

  declaration(name: string): Declaration {
    const declaration = this.declarations.get(name);
    if (declaration === undefined) throw new Error(`module-inputs.ts declares no ${name}`);
    return declaration;
  }

  /** The properties of an interface, as object attributes. */
  attributes(name: string): Map<string, Attribute> {
    const declaration = this.declaration(name);
    if (!ts.isInterfaceDeclaration(declaration)) throw new Error(`${name} is not an interface`);
    return this.members(declaration.members);
  }

  /** Every string literal of a type alias that is a union of them. */
  literals(name: string): string[] {
    const declaration = this.declaration(name);
    if (!ts.isTypeAliasDeclaration(declaration) || !ts.isUnionTypeNode(declaration.type)) {
      throw new Error(`${name} is not a union type`);
    }
    return declaration.type.types.map((member) => {
      if (ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal)) return member.literal.text;
      throw new Error(`${name} has a member that is not a string literal: ${member.getText()}`);
    });
  }

  /** Every string literal type anywhere in the file but the named declarations. */
  allLiterals(except: readonly string[]): string[] {
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) found.push(node.literal.text);
      ts.forEachChild(node, visit);
    };
    for (const [name, declaration] of this.declarations) if (!except.includes(name)) visit(declaration);
    return found;
  }

  private members(members: ts.NodeArray<ts.TypeElement>): Map<string, Attribute> {
    const attributes = new Map<string, Attribute>();
    for (const member of members) {
      if (!ts.isPropertySignature(member) || member.type === undefined) {
        throw new Error(`unsupported member in module-inputs.ts: ${member.getText()}`);
      }
      attributes.set(member.name.getText(), {
        shape: this.shape(member.type),
        optional: member.questionToken !== undefined,
      });
    }
    return attributes;
  }

  private shape(node: ts.TypeNode): Shape {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { kind: "string" };
      case ts.SyntaxKind.NumberKeyword:
        return { kind: "number" };
      case ts.SyntaxKind.BooleanKeyword:
        return { kind: "bool" };
    }
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return { kind: "string" };
    if (ts.isParenthesizedTypeNode(node)) return this.shape(node.type);
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) return this.shape(node.type);
    if (ts.isArrayTypeNode(node)) return { kind: "list", element: this.shape(node.elementType) };
    if (ts.isTypeLiteralNode(node)) return { kind: "object", attributes: this.members(node.members) };
    if (ts.isUnionTypeNode(node)) {
      // A union stands for one Terraform type: string literals for a string, nothing mixed.
      const shapes = node.types.map((member) => this.shape(member));
      const kinds = new Set(shapes.map(describeShape));
      const first = shapes[0];
      if (kinds.size !== 1 || first === undefined)
        throw new Error(`mixed union in module-inputs.ts: ${node.getText()}`);
      return first;
    }
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText();
      const [first, second] = node.typeArguments ?? [];
      if (name === "Record" && first !== undefined && second !== undefined) {
        if (this.shape(first).kind !== "string") throw new Error(`Record keys must be strings: ${node.getText()}`);
        return { kind: "map", element: this.shape(second) };
      }
      // Readonly<T> changes nothing Terraform sees; Partial<Record<K, V>> is a map whose keys are
      // restricted to K (a Terraform map may leave any of them out).
      if (name === "Readonly" && first !== undefined) return this.shape(first);
      if (name === "Partial" && first !== undefined && ts.isTypeReferenceNode(first)) {
        if (first.typeName.getText() === "Record") return this.shape(first);
      }
      if (name === "ReadonlyArray" && first !== undefined) return { kind: "list", element: this.shape(first) };
      const declaration = this.declaration(name);
      return ts.isInterfaceDeclaration(declaration)
        ? { kind: "object", attributes: this.members(declaration.members) }
        : this.shape(declaration.type);
    }
    throw new Error(`unsupported type in module-inputs.ts: ${node.getText()}`);
  }
}

async function inputDrift(variablesText: string, inputsText: string): Promise<string[]> {
  return attributeDifferences(
    "",
    await terraformVariables(variablesText),
    new InputTypes(inputsText).attributes("JwtApiModuleInputs"),
  );
}

////////////////////////////////////////////////////////////////////////////////
// Tests
////////////////////////////////////////////////////////////////////////////////

describe("examples/cdktf/module-inputs.ts", () => {
  it("declares every variable and object attribute of variables.tf, typed and optional alike, and nothing else", async () => {
    // Prepare
    const variablesText = await readFile(join(repoRoot, "variables.tf"), "utf8");
    const inputsText = await readFile(inputsFile, "utf8");

    // Act
    const drift = await inputDrift(variablesText, inputsText);

    // Assess
    expect(drift).toEqual([]);
  });

  it("would report a variable, an attribute's optionality and a type that drifted", async () => {
    // Prepare: the same files, edited the way a change to one side only would leave them.
    const variablesText =
      (await readFile(join(repoRoot, "variables.tf"), "utf8")) + '\nvariable "added" {\n  type = set(number)\n}\n';
    const inputsText = (await readFile(inputsFile, "utf8"))
      .replace('readonly token_use?: "access" | "id";', 'readonly token_use: "access" | "id";')
      .replace("readonly result_ttl_in_seconds?: number;", "readonly result_ttl_in_seconds?: string;");

    // Act
    const drift = await inputDrift(variablesText, inputsText);

    // Assess
    expect(drift).toEqual([
      "added: in variables.tf, missing from module-inputs.ts",
      "authorizer.result_ttl_in_seconds: variables.tf says number, module-inputs.ts string",
      "issuers.cognito[].token_use: optional in variables.tf, required in module-inputs.ts",
    ]);
  });

  it("narrows strings only to values variables.tf (or the function list in main.tf) names", async () => {
    // Prepare: the functions' keys, which lambda.functions and lambda_package_paths take, are local.function_keys.
    const variablesText = [
      await readFile(join(repoRoot, "variables.tf"), "utf8"),
      /function_keys = \[.*\]/.exec(await readFile(join(repoRoot, "main.tf"), "utf8"))?.[0] ?? "",
    ].join("\n");
    const types = new InputTypes(await readFile(inputsFile, "utf8"));

    // Act
    const literals = types.allLiterals(["JwtApiModuleOutput"]);

    // Assess: a value the module's validations no longer accept would be a type that lies.
    expect(literals.length).toBeGreaterThan(0);
    expect(literals.filter((literal) => !variablesText.includes(`"${literal}"`))).toEqual([]);
  });

  it("names every output of outputs.tf, and nothing else", async () => {
    // Prepare
    const types = new InputTypes(await readFile(inputsFile, "utf8"));

    // Act
    const declared = types.literals("JwtApiModuleOutput").sort();

    // Assess
    expect(declared).toEqual(await terraformOutputNames());
  });
});

describe("examples/cdktf app", () => {
  const stages: string[] = [];

  afterAll(async () => {
    for (const stage of stages) await removeStage(stage);
  });

  it(
    "synthesizes a stack that Terraform inits, validates and plans offline: API, authorizer, invoke role",
    async () => {
      // Prepare: a staged copy of the repository, so the stack's relative module source resolves
      // to the staged module; the copy borrows the checkout's node_modules to run the app the way
      // cdktf-cli does, with CDKTF_OUTDIR set (away from the default, so the path is computed).
      const stage = await stageWorkspace();
      stages.push(stage);
      await symlink(join(repoRoot, "node_modules"), join(stage, "node_modules"), "dir");
      const outdir = join(stage, "synth");
      const stackDir = join(outdir, "stacks", "jwt-api");
      const clientIds = '-var=cognito_client_ids=["web","service"]';

      // Act
      await execFileAsync(process.execPath, ["--import", "tsx", join("examples", "cdktf", "main.ts")], {
        cwd: stage,
        env: { ...process.env, CDKTF_OUTDIR: outdir },
      });
      const synthesized = await readFile(join(stackDir, "cdk.tf.json"), "utf8");
      // The offline provider settings, as an override: the stack declares `provider "aws"` itself.
      await writeFile(join(stackDir, "offline_override.tf"), `provider "aws" {${offlineProviderSettings}}\n`);
      // A full init first: the stack's local backend must be initialized before any plan, and this
      // proves its relative state path is accepted. planJson's own init then skips the backend.
      await terraform(["init", "-no-color"], { cwd: stackDir });
      const validate = await terraform(["validate", "-json", "-no-color"], { cwd: stackDir });
      const plan = await planJson(stackDir, ["-var=cognito_user_pool_id=us-east-1_AbC123", clientIds]);
      const badPool = await terraform(
        ["plan", "-no-color", "-lock=false", "-refresh=false", "-var=cognito_user_pool_id=not-a-pool", clientIds],
        { cwd: stackDir, allowFailure: true },
      );

      // Assess: nothing in the stack ties it to where it was synthesized.
      const stack = JSON.parse(synthesized) as {
        module: { jwt_api: { source: string } };
        terraform: { backend: { local: { path: string } } };
      };
      expect(stack.module.jwt_api.source).toBe("../../..");
      expect(stack.terraform.backend.local.path).toBe("../../../examples/cdktf/terraform.jwt-api.tfstate");
      expect(synthesized).not.toContain(stage);
      expect((JSON.parse(validate.stdout) as { valid: boolean }).valid).toBe(true);

      // Assess: the API, its authorizer and the role API Gateway assumes to invoke it.
      const resources = allPlannedResources(plan);
      const addresses = resources.map((resource) => resource.address);
      expect(addresses).toContain("module.jwt_api.module.rest_api.aws_api_gateway_rest_api.this");
      expect(addresses).toContain("module.jwt_api.module.rest_api.aws_api_gateway_authorizer.this");
      expect(addresses).toContain("module.jwt_api.module.authorizer.aws_iam_role.invoke");
      const invokeRole = resources.find((resource) => resource.address.endsWith("aws_iam_role.invoke"));
      expect(invokeRole?.values.assume_role_policy).toContain("apigateway.amazonaws.com");

      // Assess: the typed inputs reached the module: the HS256 token service with its generated
      // secret and users table, and the route that needs a Cognito scope.
      expect(addresses).toContain("module.jwt_api.module.signing_secret[0].aws_secretsmanager_secret.this");
      expect(addresses).toContain("module.jwt_api.module.users_table[0].aws_dynamodb_table.this");
      expect(addresses).toContain("module.jwt_api.module.token_service[0].aws_lambda_function.this");
      const pathParts = resources
        .filter((resource) => resource.type === "aws_api_gateway_resource")
        .map((resource) => resource.values.path_part);
      expect(pathParts).toEqual(expect.arrayContaining(["api", "reports", "auth", "token"]));
      // The pool id lands in issuers.cognito: the module's own validation rejects a malformed one.
      expect(badPool.code).not.toBe(0);
      expect(badPool.stderr).toContain("Each issuers.cognito entry needs a user_pool_id");
    },
    planTimeout,
  );

  // The one test that runs cdktf-cli itself (about 7x slower than running the app directly).
  it(
    "synthesizes with `npx cdktf synth` in examples/cdktf the same stack as running the app",
    async () => {
      // Prepare
      const stage = await stageWorkspace();
      stages.push(stage);
      await symlink(join(repoRoot, "node_modules"), join(stage, "node_modules"), "dir");
      const appDir = join(stage, "examples", "cdktf");
      const stackFile = join(appDir, "cdktf.out", "stacks", "jwt-api", "cdk.tf.json");
      const env = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" };

      // Act
      await execFileAsync("npx", ["--no-install", "cdktf", "synth"], { cwd: appDir, env });
      const viaCli = await readFile(stackFile, "utf8");
      await execFileAsync(process.execPath, ["--import", "tsx", "main.ts"], { cwd: appDir, env });
      const viaApp = await readFile(stackFile, "utf8");

      // Assess
      expect((JSON.parse(viaCli) as { module: { jwt_api: { source: string } } }).module.jwt_api.source).toBe(
        "../../../../..",
      );
      expect(viaCli).toBe(viaApp);
    },
    planTimeout,
  );
});
