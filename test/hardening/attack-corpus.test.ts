/**
 * The attack corpus (test/fixtures/attack-corpus/*.json, drawn from RFC 8725, the OWASP JWT cheat
 * sheet and WSTG, and published CVEs) against a built authorizer with every issuer kind configured
 * at once, all live on 127.0.0.1. Each entry runs against each kind it applies to, twice: as the
 * attack, which must end in its expected 401 or 403, and as its control (the same construction
 * with the attack left out), which must be allowed, so every rejection is proven to come from
 * the attack and not from a broken fixture.
 *
 * The same run checks secrets hygiene (no token or signing secret in any log line) and that no
 * promise rejection was left unhandled.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap } from "../../lambda-src/authorizer/bootstrap.ts";
import type { AuthorizerHandler } from "../../lambda-src/authorizer/authorizer.ts";
import { gatewayStatus, tokenEvent } from "../support/authorizer-events.ts";
import {
  SecretRegistry,
  startLogCapture,
  trapUnhandledRejections,
  type LogCapture,
  type RejectionTrap,
} from "../support/log-capture.ts";
import { appliesTo, buildAuthorization, loadCorpus, type CorpusEntry } from "./attack-corpus.ts";
import {
  generateAttackerKeys,
  issuerKindNames,
  startIssuerLab,
  type AttackerKeys,
  type IssuerKindName,
  type IssuerLab,
} from "./issuer-lab.ts";
import { pointAwsAt } from "../support/loopback-aws.ts";

const corpus = loadCorpus();

/** Whose keys sign this kind's claims in the cross-issuer entries: the same alg where another issuer has it. */
const crossIssuerSigner: Record<IssuerKindName, IssuerKindName> = {
  hs256: "oidc-rs256",
  cognito: "google",
  google: "cognito",
  "oidc-rs256": "cognito",
  "oidc-ps256": "oidc-rs256",
  "oidc-es256": "oidc-eddsa",
  "oidc-eddsa": "oidc-es256",
};

const cases: [string, IssuerKindName, CorpusEntry][] = corpus.flatMap((entry) =>
  issuerKindNames
    .filter((kind) => appliesTo(entry, kind))
    .map((kind): [string, IssuerKindName, CorpusEntry] => [entry.id, kind, entry]),
);

const routeOf = (entry: CorpusEntry): [string, string] => {
  const [verb = "GET", path = "/api"] = (entry.route ?? "GET /api").split(" ");
  return [verb, path];
};

describe("attack corpus against every issuer kind", () => {
  let lab: IssuerLab;
  let attacker: AttackerKeys;
  let handler: AuthorizerHandler;
  let restoreAws: () => void;
  let capture: LogCapture;
  let trap: RejectionTrap;
  const secrets = new SecretRegistry();

  beforeAll(async () => {
    lab = await startIssuerLab();
    restoreAws = pointAwsAt(lab.secrets);
    attacker = await generateAttackerKeys();
    for (const secretString of lab.secretStrings) secrets.addSigningSecret(secretString);
    trap = trapUnhandledRejections();
    // Started before the authorizer is built: its decision lines go to stdout, as in Lambda.
    capture = startLogCapture();
    handler = bootstrap(lab.env);
  });

  afterAll(async () => {
    capture.stop();
    trap.stop();
    restoreAws();
    await lab.close();
  });

  it("holds at least 40 entries with unique ids, and attacks every issuer kind", () => {
    // Assess
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(new Set(corpus.map((entry) => entry.id)).size).toBe(corpus.length);
    expect(new Set(cases.map(([, kind]) => kind))).toEqual(new Set(issuerKindNames));
    expect(corpus.filter((entry) => entry.expect === 403).length).toBeGreaterThan(0);
  });

  it.each(cases)(
    "%s against %s: the attack gets its expected status, its control 200",
    async (_id, kindName, entry) => {
      // Prepare
      const context = { kind: lab.kind(kindName), attacker, other: lab.kind(crossIssuerSigner[kindName]) };
      const attack = await buildAuthorization(entry, context, true);
      const control = await buildAuthorization(entry, context, false);
      secrets.add("token", control.replace(/^Bearer /, ""));
      secrets.add("attack token", attack);
      const [verb, path] = routeOf(entry);

      // Act
      const attackStatus = await gatewayStatus(handler, tokenEvent(attack, verb, path));
      const controlStatus = await gatewayStatus(handler, tokenEvent(control, verb, path));

      // Assess
      expect({ attack: attackStatus, control: controlStatus }).toEqual({ attack: entry.expect, control: 200 });
    },
  );

  it("wrote one decision line per request and no token or signing secret in any of them", () => {
    // Assess
    const decisions = capture.lines.filter((line) => line.includes('"authorizer.decision"'));
    expect(decisions.length).toBe(cases.length * 2);
    expect(secrets.findLeaks(capture.lines)).toEqual([]);
  });

  it("would notice a leak: the hygiene check finds a token written in base64url", () => {
    // Prepare
    const registry = new SecretRegistry();
    const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU";
    registry.add("token", token);

    // Act
    const leaks = registry.findLeaks([`{"detail":"${Buffer.from(token).toString("base64url")}"}`]);

    // Assess
    expect(leaks.map((leak) => leak.label)).toEqual(["token"]);
  });

  it("left no promise rejection unhandled", () => {
    // Assess
    expect(trap.reasons).toEqual([]);
  });
});
