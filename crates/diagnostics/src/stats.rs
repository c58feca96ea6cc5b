//! Small statistics used by several metrics, each defined once so every metric means the same
//! thing by "median" or "p95". All of them accept empty input and return `None` for it.

/// The arithmetic mean.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The population standard deviation.
pub fn std_dev(values: &[f64]) -> Option<f64> {
    let m = mean(values)?;
    Some((values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / values.len() as f64).sqrt())
}

/// The median: the middle value, or the mean of the two middle values.
pub fn median(values: &[f64]) -> Option<f64> {
    let sorted = sorted(values);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The nearest-rank percentile `p` (0 < p <= 100): the smallest value with at least p% of the
/// values at or below it. p95 of 20 values is the 19th smallest.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let sorted = sorted(values);
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

/// `part / whole`, or `None` when `whole` is zero.
pub fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Shannon entropy (natural log) of shares that sum to 1; zero shares contribute nothing.
pub fn entropy(shares: &[f64]) -> f64 {
    shares.iter().filter(|&&s| s > 0.0).map(|&s| -s * s.ln()).sum()
}

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_is_nearest_rank() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&v, 95.0), Some(19.0), "the 95th percentile of 1..=20 by nearest rank is the 19th value");
        assert_eq!(percentile(&[5.0], 95.0), Some(5.0), "one value is every percentile");
        assert_eq!(median(&[3.0, 1.0, 2.0, 10.0]), Some(2.5), "an even count takes the mean of the middle two");
    }
}
