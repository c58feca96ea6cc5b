/**
 * On a player node while a diagnosis is shown: the zone the player plays in, as inferred from its
 * configuration and recorded behaviour. A player whose inferred zone differs from its declared
 * one is marked (colour, a "≠" and the words), so the mismatch reads without colour too. Zoomed
 * out to compact players, the mark stays and the words go (detail.css).
 */
import { ZONE_INFO } from "../score/zones";
import { usePlayerAlignment } from "./diagnosis";

export function ZoneBadge({ player }: { player: string }) {
  const alignment = usePlayerAlignment(player);
  if (!alignment) return null;
  const inferred = ZONE_INFO[alignment.inferred];
  const declared = alignment.declared ? ZONE_INFO[alignment.declared].title : "no zone";
  const title = alignment.mismatch
    ? `Declared ${declared}, plays as ${inferred.title}`
    : `Plays as ${inferred.title}, as declared`;
  return (
    <span
      className={`badge zone-fit${alignment.mismatch ? " mismatch" : ""}`}
      style={{ borderColor: inferred.colour }}
      title={title}
      aria-label={title}
      data-testid={`zone-fit-${player}`}
    >
      {alignment.mismatch ? "≠" : "✓"}
      <span className="zone-fit-words"> {inferred.title}</span>
    </span>
  );
}
