/**
 * ts-rs types Rust `u64` fields as `bigint`, but over IPC they travel as JSON numbers (the
 * values in a score are small: seconds, milliseconds). The studio keeps them as numbers at run
 * time; these two functions are the only place that crosses between the two views.
 */
export function fromU64(value: bigint | number | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

export function toU64(value: number): bigint {
  return value as unknown as bigint;
}
