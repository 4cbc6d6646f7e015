/**
 * The HMAC key for approval links, magic links and sessions. Set it once per stage:
 * `npx sst secret set SigningKey "$(openssl rand -base64 48)" --stage <name>`; a deploy without
 * it stops with SST's message naming the secret.
 */

/** The signing key secret; its linked value is `{ value }`. */
export function secrets() {
  return { signingKey: new sst.Secret("SigningKey") };
}
