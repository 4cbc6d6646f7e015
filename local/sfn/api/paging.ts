/**
 * Paging as the Step Functions list actions do it: `maxResults` (0 or absent: the default) and an
 * opaque `nextToken` (base64url JSON of where the next page starts).
 */
import { ValidationException } from "../errors.ts";

export type Page<T> = T & { nextToken?: string };

export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeToken<T>(token: string | undefined, fallback: T): T {
  if (!token) return fallback;
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as T;
  } catch (error) {
    throw new ValidationException("Invalid nextToken: pass the nextToken of the previous page", {
      cause: error,
    });
  }
}

export function pageSize(maxResults: number | undefined, max = 1000, byDefault = 100): number {
  if (maxResults === undefined || maxResults === 0) return byDefault;
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > max) {
    throw new ValidationException(`maxResults must be an integer between 0 and ${max}`);
  }
  return maxResults;
}
