/**
 * The inputs of the terraform-aws-jwt-api module (its root `variables.tf`), typed for TypeScript.
 *
 * `TerraformHclModule` takes its variables as an untyped object, so a misspelled key or a wrong
 * shape would surface only at `terraform plan`. Pass a `JwtApiModuleInputs` instead and the compiler
 * catches both. Property names are the Terraform names (cdktf passes a module's variables through
 * verbatim, without camelCase conversion). A `?` property is an `optional()` attribute, or a
 * variable with a default: leave it out for the module's default.
 *
 * Hand-written, and kept in sync by test/e2e/cdktf.test.ts, which parses variables.tf and fails on
 * any variable or attribute that is missing here, extra here, or typed or optional differently.
 * String-literal unions narrow values the module's validation rules restrict; any string, including
 * a cdktf token such as `TerraformVariable.stringValue`, fits the fields typed `string`.
 */

/** The module's Lambda functions (keys of `lambda.functions` and `lambda_package_paths`). */
export type JwtApiFunction = "authorizer" | "token-service" | "sample-api" | "secret-rotation" | "websocket-sample";

/** HTTP verbs of a route; ANY matches them all. */
export type RouteMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" | "ANY";

/** Asymmetric JOSE algorithms an OIDC issuer may sign with. */
export type OidcAlgorithm =
  "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" | "ES256" | "ES384" | "ES512" | "EdDSA";

/** Tokens signed with the module's own signing secret, issued by its token service. */
export interface Hs256Issuer {
  /** Defaults to `urn:jwt-api:<name>`. */
  readonly issuer?: string;
  /** Defaults to `[<name>]`; the token service issues tokens for the first one. */
  readonly audiences?: readonly string[];
  /** Pins the JOSE `typ` header, e.g. `at+jwt`. */
  readonly typ?: string;
  readonly required_claims?: readonly string[];
}

/**
 * Tokens the module's token service signs with an ES256, RS256 or EdDSA key its rotation Lambda
 * generates; the API publishes the public keys (`/.well-known/jwks.json`, `/openid-configuration`).
 */
export interface AsymmetricIssuer {
  /** An https URL without a trailing slash; defaults to the stage URL. */
  readonly issuer?: string;
  /** Defaults to `[<name>]`; the token service issues tokens for the first one. */
  readonly audiences?: readonly string[];
  /** Pins the JOSE `typ` header, e.g. `at+jwt`. */
  readonly typ?: string;
  readonly required_claims?: readonly string[];
}

/** A Cognito user pool whose tokens the authorizer accepts. */
export interface CognitoIssuer {
  /** Like `us-east-1_AbC123`; the region is read from it. */
  readonly user_pool_id: string;
  readonly client_ids: readonly string[];
  /** Defaults to `access`. */
  readonly token_use?: "access" | "id";
  readonly required_claims?: readonly string[];
  readonly typ?: string;
  readonly issuer?: string;
  readonly jwks_uri?: string;
}

/** Any OpenID Connect issuer (https only). */
export interface OidcIssuer {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly audiences: readonly string[];
  /** Defaults to `["RS256"]`. */
  readonly algorithms?: readonly OidcAlgorithm[];
  readonly required_claims?: readonly string[];
  readonly typ?: string;
}

/** Google ID tokens for the given OAuth client ids. */
export interface GoogleIssuer {
  readonly client_ids: readonly string[];
  readonly hosted_domain?: string;
  readonly required_claims?: readonly string[];
  readonly jwks_uri?: string;
}

/** At least one kind must be set, and at most one of hs256, es256, rs256 and eddsa (the module validates it). */
export interface JwtApiIssuers {
  readonly hs256?: Hs256Issuer;
  readonly es256?: AsymmetricIssuer;
  /** The one HTTP API JWT authorizers accept (RSA only). */
  readonly rs256?: AsymmetricIssuer;
  readonly eddsa?: AsymmetricIssuer;
  readonly cognito?: readonly CognitoIssuer[];
  readonly oidc?: readonly OidcIssuer[];
  readonly google?: GoogleIssuer;
}

export interface JwtApiAuthorizer {
  readonly type?: "TOKEN" | "REQUEST";
  readonly identity_source?: string;
  /** TOKEN authorizers only. */
  readonly identity_validation_expression?: string;
  /** 0-3600; 0 disables API Gateway's decision cache. */
  readonly result_ttl_in_seconds?: number;
  readonly unlisted_routes?: "allow" | "deny";
  readonly clock_tolerance_seconds?: number;
  readonly max_token_length?: number;
  readonly context_claims?: readonly string[];
  /** Entries like `header:authorization` or `query:token`. */
  readonly token_sources?: readonly string[];
  readonly decision_cache_size?: number;
  readonly jwks_timeout_ms?: number;
  readonly jwks_cooldown_ms?: number;
  /** Methods the authorizer protects outside the module: the authorizer refuses any it does not list. */
  readonly external_routes?: readonly ExternalRoute[];
}

/** A method attached to the authorizer outside the module (`{proxy+}` allowed last). */
export interface ExternalRoute {
  readonly method: string;
  readonly path: string;
  readonly scopes?: readonly string[];
  readonly groups?: readonly string[];
}

export interface RouteThrottling {
  readonly burst_limit?: number;
  readonly rate_limit?: number;
}

/** One extra route; give exactly one of `function_arn` and `function`. */
export interface JwtApiRoute {
  readonly method: RouteMethod;
  /** `/` or 1-5 segments such as `/orders/{id}`. */
  readonly path: string;
  readonly function_arn?: string;
  /** The module's own sample Lambda. */
  readonly function?: "sample-api";
  readonly public?: boolean;
  readonly scopes?: readonly string[];
  readonly groups?: readonly string[];
  readonly throttling?: RouteThrottling;
}

export interface JwtApiSampleApi {
  readonly create?: boolean;
  /** Any route method but OPTIONS (the CORS preflight's). */
  readonly method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "ANY";
  readonly path?: string;
  readonly scopes?: readonly string[];
  readonly groups?: readonly string[];
}

/** Revocation that reaches access tokens (README § Revocation); needs the HS256 token service. */
export interface JwtApiRevocation {
  readonly enabled?: boolean;
  /** 0-3600; authorizer.result_ttl_in_seconds may not exceed it while enabled. */
  readonly max_staleness_seconds?: number;
  /** What a token gets when the revocation state cannot be read. */
  readonly on_store_error?: "deny" | "allow";
}

export interface JwtApiTokenService {
  readonly create?: boolean;
  readonly access_token_ttl_seconds?: number;
  readonly refresh_token_ttl_seconds?: number;
  readonly lockout_max_attempts?: number;
  readonly lockout_seconds?: number;
  /** 1-3600: Cache-Control of the JWKS and discovery documents (es256/rs256/eddsa only). */
  readonly jwks_max_age_seconds?: number;
}

export interface LambdaFunctionOverrides {
  readonly memory_size?: number;
  readonly timeout?: number;
  readonly reserved_concurrent_executions?: number;
}

export interface JwtApiLambda {
  /** A Node.js runtime such as `nodejs22.x`. */
  readonly runtime?: string;
  readonly architecture?: "arm64" | "x86_64";
  readonly memory_size?: number;
  readonly timeout?: number;
  readonly reserved_concurrent_executions?: number;
  readonly log_retention_in_days?: number;
  readonly functions?: Partial<Record<JwtApiFunction, LambdaFunctionOverrides>>;
}

/** The users table: created by the module, or an existing one given by `name` or `arn`. */
export interface JwtApiTable {
  readonly create?: boolean;
  readonly name?: string;
  readonly arn?: string;
  readonly deletion_protection_enabled?: boolean;
  readonly point_in_time_recovery_enabled?: boolean;
}

/** The HS256 signing secret: created (first key written by its rotation Lambda) or brought. */
export interface JwtApiSecret {
  readonly create?: boolean;
  readonly name?: string;
  readonly arn?: string;
  readonly kms_key_arn?: string;
  readonly rotation_automatically_after_days?: number;
  readonly rotation_schedule_expression?: string;
  /** 0 or 7-30. */
  readonly recovery_window_in_days?: number;
}

export interface JwtApiCors {
  /** `*` or one origin such as `https://app.example.com`. */
  readonly allow_origin: string;
  readonly allow_headers?: readonly string[];
  readonly allow_methods?: readonly string[];
  readonly expose_headers?: readonly string[];
  readonly max_age_seconds?: number;
  readonly allow_credentials?: boolean;
  readonly preflight?: boolean;
}

export interface StageAccessLogging {
  readonly enabled?: boolean;
  readonly retention_in_days?: number;
  readonly kms_key_arn?: string;
  readonly format?: string;
}

export interface JwtApiStage {
  readonly name?: string;
  readonly xray_tracing_enabled?: boolean;
  readonly metrics_enabled?: boolean;
  readonly throttling_burst_limit?: number;
  readonly throttling_rate_limit?: number;
  readonly access_logging?: StageAccessLogging;
}

/** The optional WebSocket API whose `$connect` route shares the REST authorizer. */
export interface JwtApiWebsocket {
  readonly enabled?: boolean;
  /** `route.request.querystring.NAME` (browsers cannot set WebSocket headers) or `route.request.header.NAME`. */
  readonly identity_source?: string;
  readonly route_selection_expression?: string;
  readonly scopes?: readonly string[];
  readonly groups?: readonly string[];
  readonly stage_name?: string;
  readonly throttling_burst_limit?: number;
  readonly throttling_rate_limit?: number;
  readonly connection_ttl_seconds?: number;
  readonly table_name?: string;
}

/** Every variable of the module; see the repository README for what each does. */
export interface JwtApiModuleInputs {
  /** Prefixes every resource: a letter, then up to 39 letters, digits and hyphens. */
  readonly name: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Defaults to `{ hs256: {} }`. */
  readonly issuers?: JwtApiIssuers;
  readonly authorizer?: JwtApiAuthorizer;
  /** Keyed by a name of your choice (1-64 letters, digits, `_`, `-`). */
  readonly routes?: Readonly<Record<string, JwtApiRoute>>;
  readonly sample_api?: JwtApiSampleApi;
  readonly token_service?: JwtApiTokenService;
  readonly revocation?: JwtApiRevocation;
  readonly lambda?: JwtApiLambda;
  readonly lambda_package_paths?: Partial<Record<JwtApiFunction, string>>;
  readonly table?: JwtApiTable;
  readonly secret?: JwtApiSecret;
  /** Leave out to disable CORS. */
  readonly cors?: JwtApiCors;
  readonly stage?: JwtApiStage;
  readonly websocket?: JwtApiWebsocket;
}

/** The module's outputs (its root `outputs.tf`), for `TerraformHclModule.get()` and friends. */
export type JwtApiModuleOutput =
  | "rest_api_id"
  | "rest_api_execution_arn"
  | "rest_api_root_resource_id"
  | "stage_name"
  | "invoke_url"
  | "token_endpoint_url"
  | "sample_api_url"
  | "token_issuer"
  | "token_jwks_uri"
  | "token_openid_configuration_url"
  | "authorizer_id"
  | "authorizer_invoke_role_arn"
  | "authorizer_lambda_function_arn"
  | "authorizer_lambda_function_invoke_arn"
  | "lambda_function_names"
  | "lambda_function_arns"
  | "dynamodb_table_name"
  | "dynamodb_table_arn"
  | "cli_command"
  | "secretsmanager_secret_arn"
  | "websocket_api_id"
  | "websocket_url"
  | "websocket_stage_name"
  | "websocket_lambda_function_name"
  | "websocket_lambda_function_arn"
  | "websocket_dynamodb_table_name";
