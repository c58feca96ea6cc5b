import { describe, expect, it } from "vitest";
import { DEFAULT_BOUNDS, parseBound, storedBounds } from "./bounds";

describe("parseBound", () => {
  it("takes whole numbers within the range, ends included", () => {
    expect(parseBound("max_output_mib", "1")).toEqual({ value: 1 });
    expect(parseBound("max_output_mib", " 4096 ")).toEqual({ value: 4096 });
    expect(parseBound("read_timeout_secs", "86400")).toEqual({ value: 86400 });
  });

  it("says what is wrong and what would do", () => {
    expect(parseBound("max_output_mib", "0")).toEqual({ error: "Output limit per attempt must be from 1 to 4096 MiB; 0 is outside that." });
    expect(parseBound("read_timeout_secs", "86401")).toEqual({ error: "Read timeout must be from 1 to 86400 seconds; 86401 is outside that." });
    expect(parseBound("max_output_mib", "1.5")).toEqual({ error: "Output limit per attempt must be a whole number of MiB from 1 to 4096." });
    expect(parseBound("read_timeout_secs", "-3")).toEqual({ error: "Read timeout must be a whole number of seconds from 1 to 86400." });
    expect(parseBound("read_timeout_secs", "")).toEqual({ error: "Read timeout is needed: a whole number of seconds from 1 to 86400." });
  });
});

describe("storedBounds", () => {
  it("keeps usable stored values and replaces the rest with the defaults", () => {
    expect(storedBounds({ max_output_mib: 2, read_timeout_secs: 30 })).toEqual({ max_output_mib: 2, read_timeout_secs: 30 });
    expect(storedBounds({ max_output_mib: 0, read_timeout_secs: "30" })).toEqual(DEFAULT_BOUNDS);
    expect(storedBounds({ max_output_mib: 8 })).toEqual({ max_output_mib: 8, read_timeout_secs: 120 });
    expect(storedBounds(undefined)).toEqual(DEFAULT_BOUNDS);
    expect(storedBounds({ max_output_mib: 2.5 })).toEqual(DEFAULT_BOUNDS);
  });
});
