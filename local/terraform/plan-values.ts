/**
 * Reading attribute values out of planned resources: Terraform's plan JSON holds strings, numbers,
 * maps, lists and nested blocks (lists of objects); a value the model needs and the plan lacks is
 * a PlanModelError naming the resource.
 */
import type { PlannedResource } from "./terraform-cli.ts";

export class PlanModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanModelError";
  }
}

export type Values = Record<string, unknown>;

export const text = (values: Values, key: string): string | undefined => {
  const value = values[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
};
export const required = (resource: PlannedResource, key: string): string => {
  const value = text(resource.values, key);
  if (value === undefined) throw new PlanModelError(`${resource.address} has no ${key} in the plan`);
  return value;
};
export const number = (values: Values, key: string): number | undefined => {
  const value = values[key];
  return typeof value === "number" ? value : undefined;
};
export const stringMap = (value: unknown): Record<string, string> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.fromEntries(
        Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
      )
    : {};
export const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
/** Nested blocks appear in plan JSON as lists of objects. */
export const blocks = (values: Values, key: string): Values[] => {
  const value = values[key];
  return Array.isArray(value) ? value.filter((item): item is Values => typeof item === "object" && item !== null) : [];
};

/** The planned resources of one type, in address order. */
export type ResourcesOfType = (type: string) => PlannedResource[];

export const byType =
  (resources: readonly PlannedResource[]): ResourcesOfType =>
  (type) =>
    resources.filter((resource) => resource.type === type).sort((a, b) => a.address.localeCompare(b.address));

/** Resources of a type that belong to one API: those whose `key` (`rest_api_id`, `api_id`) holds its id. */
export const ofApi =
  (ofType: ResourcesOfType, key: string, apiId: string): ResourcesOfType =>
  (type) =>
    ofType(type).filter((resource) => text(resource.values, key) === apiId);
