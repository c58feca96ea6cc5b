//! Prints a score file in canonical form, keeping its comments: `cargo run -p ensemble-score --example fmt -- FILE`.

fn main() {
    let path = std::env::args().nth(1).expect("usage: fmt FILE.score.toml");
    match ensemble_score::load(std::path::Path::new(&path)) {
        Ok(loaded) => match ensemble_score::to_toml(&loaded.score, Some(&loaded.text)) {
            Ok(text) => print!("{text}"),
            Err(err) => eprintln!("{err}"),
        },
        Err(ensemble_score::LoadError::Invalid { problems, .. }) => {
            for p in problems {
                eprintln!("{}:{}: [{:?}] {}", p.line.unwrap_or(0), p.column.unwrap_or(0), p.rule, p.message);
            }
            std::process::exit(1);
        }
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(1);
        }
    }
}
