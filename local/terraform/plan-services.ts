/**
 * The services a plan's functions use, as the local run starts them: DynamoDB tables (keys,
 * attribute types, indexes), Secrets Manager secrets, and Cognito user pools and app clients.
 */
import { blocks, required, stringList, text, type ResourcesOfType } from "./plan-values.ts";

export interface TableModel {
  readonly name: string;
  readonly arn: string;
  readonly hashKey: string;
  readonly rangeKey: string | undefined;
  readonly attributes: readonly { readonly name: string; readonly type: string }[];
  readonly globalSecondaryIndexes: readonly {
    readonly name: string;
    readonly hashKey: string;
    readonly rangeKey: string | undefined;
    readonly projectionType: string;
  }[];
}

export interface SecretModel {
  readonly address: string;
  readonly name: string;
  readonly arn: string;
}

export interface UserPoolModel {
  readonly id: string;
  readonly name: string;
  /** `email` and/or `phone_number` when users sign in with those instead of a username. */
  readonly usernameAttributes: readonly string[];
}

export interface UserPoolClientModel {
  readonly id: string;
  readonly name: string;
  readonly userPoolId: string;
  readonly explicitAuthFlows: readonly string[];
}

export interface ServicesModel {
  readonly tables: readonly TableModel[];
  readonly secrets: readonly SecretModel[];
  readonly userPools: readonly UserPoolModel[];
  readonly userPoolClients: readonly UserPoolClientModel[];
}

export function plannedServices(ofType: ResourcesOfType): ServicesModel {
  return {
    tables: ofType("aws_dynamodb_table").map((resource) => ({
      name: required(resource, "name"),
      arn: required(resource, "arn"),
      hashKey: required(resource, "hash_key"),
      rangeKey: text(resource.values, "range_key"),
      attributes: blocks(resource.values, "attribute").map((attribute) => ({
        name: String(attribute.name),
        type: String(attribute.type),
      })),
      globalSecondaryIndexes: blocks(resource.values, "global_secondary_index").map((index) => ({
        name: String(index.name),
        hashKey: String(index.hash_key),
        rangeKey: text(index, "range_key"),
        projectionType: text(index, "projection_type") ?? "ALL",
      })),
    })),
    secrets: ofType("aws_secretsmanager_secret").map((resource) => ({
      address: resource.address,
      name: required(resource, "name"),
      arn: required(resource, "arn"),
    })),
    userPools: ofType("aws_cognito_user_pool").map((resource) => ({
      id: required(resource, "id"),
      name: required(resource, "name"),
      usernameAttributes: stringList(resource.values.username_attributes),
    })),
    userPoolClients: ofType("aws_cognito_user_pool_client").map((resource) => ({
      id: required(resource, "id"),
      name: required(resource, "name"),
      userPoolId: required(resource, "user_pool_id"),
      explicitAuthFlows: stringList(resource.values.explicit_auth_flows),
    })),
  };
}
