//! Render timing: renders the API outline's worked example 200 times with a
//! warm [`Renderer`] and prints min / median / p95 in milliseconds: as a
//! plain PDF and as a Factur-X PDF/A-3, each run with another invoice
//! number (so typst's memoization cannot reuse the previous layout), then
//! the same invoice again, and the cold first render.
//!
//! `cargo run --release --example render_bench -p fakturo-documents`

#[path = "../tests/documents/fixtures.rs"]
mod fixtures;

use std::error::Error;
use std::hint::black_box;
use std::time::{Duration, Instant};

use fakturo_documents::{RenderOptions, Renderer};

const RUNS: usize = 200;

fn main() -> Result<(), Box<dyn Error>> {
    let document = fixtures::worked_example();
    let options = RenderOptions::default();

    let start = Instant::now();
    let renderer = Renderer::new()?;
    let first = renderer.render_pdf(&document, &options)?;
    println!(
        "cold: first render including font parsing {:.1} ms ({} bytes)",
        ms(start.elapsed()),
        first.len()
    );

    // typst memoizes: the same document again is mostly a cache hit. A
    // server renders a different document each time, so the honest figure
    // changes the number and a line on every run.
    let mut run = 0_u32;
    let mut distinct = || {
        run += 1;
        let mut document = document.clone();
        document.number = format!("INV-2026-{run:05}");
        if let Some(line) = document.lines.first_mut() {
            line.description = format!("Design work, session {run}");
        }
        document
    };
    let pdf = measure(|| renderer.render_pdf(&distinct(), &options).map(|pdf| pdf.len()))?;
    report("invoice PDF, a different invoice each run (warm)", &pdf);
    let facturx = measure(|| renderer.render_facturx(&distinct(), &options).map(|pdf| pdf.len()))?;
    report("Factur-X PDF/A-3, a different invoice each run (warm)", &facturx);
    let same = measure(|| renderer.render_pdf(&document, &options).map(|pdf| pdf.len()))?;
    report("invoice PDF, the same invoice again (memoized)", &same);
    Ok(())
}

fn measure<E: Error + 'static>(mut render: impl FnMut() -> Result<usize, E>) -> Result<Vec<Duration>, Box<dyn Error>> {
    for _ in 0..5 {
        black_box(render()?);
    }
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        black_box(render()?);
        times.push(start.elapsed());
    }
    times.sort();
    Ok(times)
}

fn report(name: &str, times: &[Duration]) {
    let at = |fraction: f64| {
        let index = ((times.len() - 1) as f64 * fraction).round() as usize;
        times.get(index).copied().map_or(f64::NAN, ms)
    };
    println!(
        "{name}: {} runs, min {:.2} ms, median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        times.len(),
        at(0.0),
        at(0.5),
        at(0.95),
        at(1.0)
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
