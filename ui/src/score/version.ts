/**
 * Shared-context versions are content hashes like `sha256:9f2c…`. People compare them by eye,
 * so the studio shows the first hex digits, not the algorithm's name.
 */
const SHORT_DIGITS = 8;

export function shortVersion(version: string): string {
  const colon = version.indexOf(":");
  const digest = colon >= 0 ? version.slice(colon + 1) : version;
  return digest.slice(0, SHORT_DIGITS);
}
