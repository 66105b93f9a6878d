/**
 * The demo users the local run seeds for the token service. Which table and which scopes/groups
 * come from the planned environment (docs/lambda-configuration.md): the table is the token
 * service's USERS_TABLE_NAME, and the full user holds every scope and group the authorizer's
 * JWT_ROUTES ask for, so each route can be tried; where routes ask for any, a second user holds
 * none, to see the 403s.
 */
import { randomBytes } from "node:crypto";
import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { checkPasswordPolicy } from "../lambda-src/shared/password-policy.ts";
import { hashPassword } from "../lambda-src/shared/password-hash.ts";
import { UsersTable } from "../lambda-src/shared/users-table.ts";
import type { ApiModel } from "./terraform/plan-model.ts";
import { stringList } from "./terraform/plan-values.ts";

export interface DemoUser {
  readonly username: string;
  readonly password: string;
  readonly scopes: readonly string[];
  readonly groups: readonly string[];
}

export interface DemoUsers {
  readonly tableName: string;
  readonly users: readonly DemoUser[];
}

interface RouteRequirement {
  readonly scopes?: unknown;
  readonly groups?: unknown;
}

/** Every scope and group any function's JWT_ROUTES requires, sorted. */
export function routeRequirements(model: ApiModel): { scopes: string[]; groups: string[] } {
  const scopes = new Set<string>();
  const groups = new Set<string>();
  for (const fn of model.functions) {
    let routes: unknown;
    try {
      routes = JSON.parse(fn.environment.JWT_ROUTES ?? "[]");
    } catch {
      continue;
    }
    for (const route of Array.isArray(routes) ? (routes as RouteRequirement[]) : []) {
      for (const scope of stringList(route.scopes)) scopes.add(scope);
      for (const group of stringList(route.groups)) groups.add(group);
    }
  }
  return { scopes: [...scopes].sort(), groups: [...groups].sort() };
}

export const generatePassword = (): string => randomBytes(18).toString("base64url");

/** The users to seed, or undefined when no planned function names a users table. */
export function demoUsersFor(model: ApiModel, username: string, password: string): DemoUsers | undefined {
  const tableName = model.functions.map((fn) => fn.environment.USERS_TABLE_NAME).find((name) => name !== undefined);
  if (tableName === undefined) return undefined;
  checkPasswordPolicy(password, username);
  const { scopes, groups } = routeRequirements(model);
  const full: DemoUser = { username, password, scopes, groups };
  // Where no route asks for a scope or group, a user holding none could do all the full one does.
  if (scopes.length + groups.length === 0) return { tableName, users: [full] };
  return { tableName, users: [full, { username: `${username}-limited`, password, scopes: [], groups: [] }] };
}

export async function seedDemoUsers(demo: DemoUsers, aws: DynamoDBClientConfig): Promise<void> {
  const client = new DynamoDBClient(aws);
  const table = new UsersTable(DynamoDBDocumentClient.from(client), demo.tableName);
  try {
    for (const { password, ...user } of demo.users) {
      await table.createUser({ ...user, passwordHash: await hashPassword(password), disabled: false }, new Date());
    }
  } finally {
    client.destroy();
  }
}
