/**
 * Reading a diagnosis: values as a person reads them (the engine's own display rules), where a
 * piece of advice points, and the trend behind a metric. Pure functions over the report.
 */
import type { Metric } from "../bindings/Metric";
import type { Report } from "../bindings/Report";
import type { Unit } from "../bindings/Unit";
import type { Zone } from "../bindings/Zone";
import { ZONE_INFO } from "../score/zones";

/**
 * Where a piece of advice points in the score. The diagnostics engine's own target type; its
 * generated binding shares the name `Target` with the score's problem target and is shadowed by
 * it in ui/src/bindings, so the shape is spelled here, as the engine serialises it.
 */
export type AdviceTarget =
  | { kind: "part"; player: string }
  | { kind: "player"; player: string }
  | { kind: "zone"; zone: Zone }
  | { kind: "zones" }
  | { kind: "cue"; from: string; to: string }
  | { kind: "sections"; from: string; to: string }
  | { kind: "intent" }
  | { kind: "context" }
  | { kind: "tempo" }
  | { kind: "people" };

export function adviceTarget(target: unknown): AdviceTarget {
  return target as AdviceTarget;
}

/** A value as the engine's text report shows it (with a true minus sign): 42%, +0.33, 1.2 s, 2.0 choruses, 4.2 / 7; "n/a" for none. */
export function display(unit: Unit, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "n/a";
  switch (unit) {
    case "share":
      return `${Math.round(value * 100)}%`;
    case "index":
      return `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(2)}`;
    case "milliseconds":
      return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
    case "choruses":
      return `${value.toFixed(1)} choruses`;
    case "per_performance":
      return value.toFixed(1);
    case "scale7":
      return `${value.toFixed(1)} / 7`;
    case "count":
      return value.toFixed(0);
  }
}

/** "flag below 50%": the side of the threshold that raises a flag; empty when there is none. */
export function thresholdText(metric: Metric): string {
  const t = metric.threshold;
  return t ? `flag ${t.flag_when} ${display(metric.unit, t.value)}` : "";
}

/** The values of `metric` over the earlier diagnoses and this one, oldest first (nulls kept). */
export function trendOf(report: Report, metricId: string): (number | null)[] {
  return report.trend.find((line) => line.id === metricId)?.points.map((p) => p.value) ?? [];
}

/** The values of an event-based metric, performance by performance, oldest first. */
export function performanceTrendOf(report: Report, metricId: string): { performance: string; value: number | null }[] {
  return report.performance_trend.find((line) => line.id === metricId)?.points ?? [];
}

export function zoneTitle(zone: Zone): string {
  return ZONE_INFO[zone].title;
}

/** The player's display name in the report, or its id. */
export function playerName(report: Report, id: string): string {
  return report.alignment.players.find((p) => p.player === id)?.name ?? id;
}
