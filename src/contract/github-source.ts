import { idOf, obj, str } from "./json-fields";
import { uriSafe } from "./uri";

/**
 * Where the event comes from, most specific first: repository, organization, the account of an
 * app installation, the installation id, the enterprise, the advisory database, the sender;
 * github.com otherwise. The group key is the FIFO message group (src/contract/fifo.ts): the
 * repository's `owner/name`, the organization, ….
 *
 * @example
 * githubSource({ repository: { full_name: "octo/hello" } }) // { source: "https://github.com/octo/hello", groupKey: "octo/hello" }
 */
export function githubSource(payload: Record<string, unknown>): { source: string; groupKey: string } {
  const fullName = str(obj(payload, "repository"), "full_name");
  if (fullName) return { source: `https://github.com/${uriSafe(fullName)}`, groupKey: fullName };
  const org = str(obj(payload, "organization"), "login");
  if (org) return { source: `https://github.com/${uriSafe(org)}`, groupKey: org };
  const installation = obj(payload, "installation");
  const account = str(obj(installation, "account"), "login");
  if (account) return { source: `https://github.com/${uriSafe(account)}`, groupKey: account };
  const installationId = idOf(installation, "id");
  if (installationId) {
    return {
      source: `urn:github:installation:${uriSafe(installationId)}`,
      groupKey: `installation-${installationId}`,
    };
  }
  const enterprise = str(obj(payload, "enterprise"), "slug");
  if (enterprise)
    return { source: `https://github.com/enterprises/${uriSafe(enterprise)}`, groupKey: enterprise };
  // Global security advisories belong to no account.
  if (obj(payload, "security_advisory"))
    return { source: "https://github.com/advisories", groupKey: "advisories" };
  const sender = str(obj(payload, "sender"), "login");
  if (sender) return { source: `https://github.com/${uriSafe(sender)}`, groupKey: sender };
  return { source: "https://github.com", groupKey: "github" };
}
