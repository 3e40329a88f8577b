//! The review window and the scores on a ledger of a million findings.
//!
//! Run: `cargo bench -p anfang-ledger --bench review`
//! (`ANFANG_BENCH_FINDINGS=N` for another size). The generated ledger is
//! kept in `target/bench-data/` and reused by later runs.
//!
//! Figures: the first page of a freshly opened ledger (target < 100 ms); each
//! keypress's query and the building of the visible window (page down/up,
//! jump to the end, sort, filter, search; target p99 < 16 ms); the count
//! shown in the title, read after the frame; scores for a year over 1,000
//! units (target < 1 s) and a monthly trend.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod review_data;
#[path = "../tests/review_support/mod.rs"]
mod review_support;

use anfang_core::period::{Period, Step};
use anfang_core::review::ReviewStatus;
use anfang_ledger::Ledger;
use anfang_ledger::review_query::{Anchor, ReviewFilter, ReviewPage, Sort, SortKey};
use jiff::tz::TimeZone;
use review_data::{Rng, key, ledger_file};
use review_support::day;
use std::time::{Duration, Instant};

const PAGE: usize = 50;
/// The review screen's title counts no further than this (as the TUI does).
const COUNT_CAP: u64 = 10_000;

struct Samples {
    name: &'static str,
    times: Vec<Duration>,
    /// What each sample was, for naming the slowest.
    what: Vec<String>,
    /// CPU time of each sample, when the kernel tells.
    cpu: Vec<Duration>,
}

impl Samples {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.times.clone();
        sorted.sort();
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted[index]
    }

    fn push(&mut self, what: impl Into<String>, t: Duration) {
        self.times.push(t);
        self.what.push(what.into());
        if let Some(cpu) = LAST_CPU.with(std::cell::Cell::get) {
            self.cpu.push(cpu);
        }
    }

    fn cpu_p99(&self) -> String {
        if self.cpu.is_empty() {
            return "n/a".into();
        }
        let mut sorted = self.cpu.clone();
        sorted.sort();
        let index = ((sorted.len() as f64 - 1.0) * 0.99).round() as usize;
        format!("{:.2} ms", ms(sorted[index]))
    }

    fn print(&self) {
        let mut slowest: Vec<(Duration, &str)> = self
            .times
            .iter()
            .copied()
            .zip(self.what.iter().map(String::as_str))
            .filter(|(_, w)| !w.is_empty())
            .collect();
        slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
        for (t, what) in slowest
            .iter()
            .take(3)
            .filter(|(t, _)| *t > Duration::from_millis(16))
        {
            println!("    slow: {:>8.2} ms  {what}", ms(*t));
        }
        println!(
            "{:<34} n={:<5} p50 {:>8.2} ms  p99 {:>8.2} ms  max {:>8.2} ms  (CPU p99 {})",
            self.name,
            self.times.len(),
            ms(self.percentile(0.5)),
            ms(self.percentile(0.99)),
            ms(self.percentile(1.0)),
            self.cpu_p99(),
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// CPU time this thread has run, from the kernel's scheduler statistics
/// (wall time on a shared machine also counts other processes' turns).
fn cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn cpu_timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Option<Duration>) {
    let cpu = cpu_time();
    let (out, wall) = timed(f);
    let used = cpu.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a));
    (out, wall, used)
}

fn cpu_ms(d: Option<Duration>) -> String {
    d.map_or_else(|| "n/a".into(), |d| format!("{:.1} ms", ms(d)))
}

thread_local! {
    /// CPU time of the last `timed` call, picked up by `Samples::push`.
    static LAST_CPU: std::cell::Cell<Option<Duration>> = const { std::cell::Cell::new(None) };
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let cpu = cpu_time();
    let started = Instant::now();
    let out = f();
    let wall = started.elapsed();
    LAST_CPU.with(|c| c.set(cpu.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a))));
    (out, wall)
}

fn page(l: &Ledger, filter: &ReviewFilter, sort: Sort, anchor: &Anchor) -> ReviewPage {
    l.review_page(filter, sort, anchor, PAGE).unwrap()
}

fn main() {
    let findings = review_data::findings_wanted();
    let path = ledger_file(findings);

    // Opening the Review screen: open the ledger, read the first page.
    let (ledger, open) = timed(|| Ledger::open_with_key(&path, key(200)).unwrap());
    let (_, ensure) = timed(|| ledger.ensure_review_indexes().unwrap());
    let ((first, _), first_page) = timed(|| {
        let p = page(
            &ledger,
            &ReviewFilter::default(),
            Sort::default(),
            &Anchor::First,
        );
        (p, ())
    });
    assert_eq!(first.rows.len(), PAGE);
    let (capped, count) = timed(|| {
        ledger
            .review_count_upto(&ReviewFilter::default(), COUNT_CAP)
            .unwrap()
    });
    let (total, full_count) = timed(|| ledger.review_count(&ReviewFilter::default()).unwrap());
    println!("ledger: {findings} findings recorded, {total} violations in the review window");
    println!(
        "open {:.1} ms + indexes {:.1} ms; FIRST PAGE {:.2} ms (target < 100 ms); title count {:?} {:.1} ms (exact count {:.1} ms)",
        ms(open),
        ms(ensure),
        ms(first_page),
        capped,
        ms(count),
        ms(full_count)
    );

    let mut all: Vec<Samples> = Vec::new();
    let none = ReviewFilter::default();

    // Page down 300 times from the top, then up 150 times.
    let mut pd = Samples {
        name: "page down",
        times: vec![],
        what: vec![],
        cpu: vec![],
    };
    let mut pu = Samples {
        name: "page up",
        times: vec![],
        what: vec![],
        cpu: vec![],
    };
    let mut current = first;
    for _ in 0..300 {
        let last = current.rows.last().unwrap().key.clone();
        let (p, t) = timed(|| page(&ledger, &none, Sort::default(), &Anchor::After(last)));
        pd.push("", t);
        current = p;
    }
    for _ in 0..150 {
        let first = current.rows.first().unwrap().key.clone();
        let (p, t) = timed(|| page(&ledger, &none, Sort::default(), &Anchor::Before(first)));
        pu.push("", t);
        current = p;
    }
    // Scrolling one row past the window's edge reads one row more.
    let mut scroll = Samples {
        name: "scroll (one row past the window)",
        times: vec![],
        what: vec![],
        cpu: vec![],
    };
    let mut edge = current.rows.last().unwrap().key.clone();
    for _ in 0..300 {
        let (p, t) = timed(|| {
            ledger
                .review_page(&none, Sort::default(), &Anchor::After(edge.clone()), 1)
                .unwrap()
        });
        scroll.push("", t);
        edge = p.rows.last().unwrap().key.clone();
    }

    // Jump to the end and back.
    let mut ends = Samples {
        name: "jump to end / start",
        times: vec![],
        what: vec![],
        cpu: vec![],
    };
    for i in 0..20 {
        let anchor = if i % 2 == 0 {
            Anchor::Last
        } else {
            Anchor::First
        };
        ends.push(
            format!("{anchor:?}"),
            timed(|| page(&ledger, &none, Sort::default(), &anchor)).1,
        );
    }

    // Sort by each column, both directions; then page down within the sort.
    let mut sorts = Samples {
        name: "sort change (first page)",
        times: vec![],
        what: vec![],
        cpu: vec![],
    };
    let mut sorted_pages = Samples {
        name: "page down in another sort",
        times: vec![],
        what: vec![],
        cpu: vec![],
    };
    for key in SortKey::ALL {
        for descending in [false, true] {
            let sort = Sort { key, descending };
            let (p, t) = timed(|| page(&ledger, &none, sort, &Anchor::First));
            sorts.push(format!("{sort:?}"), t);
            let mut p = p;
            for _ in 0..10 {
                let Some(last) = p.rows.last().map(|r| r.key.clone()) else {
                    break;
                };
                let (next, t) = timed(|| page(&ledger, &none, sort, &Anchor::After(last)));
                sorted_pages.push(format!("{sort:?}"), t);
                p = next;
            }
        }
    }

    // Filter changes: each a first page in the default sort.
    let choices = ledger.review_choices().unwrap();
    let mut filters = Samples {
        name: "filter change (first page)",
        times: vec![],
        what: vec![],
        cpu: vec![],
    };
    let mut counts = Samples {
        name: "count (capped) after a filter",
        times: vec![],
        what: vec![],
        cpu: vec![],
    };
    let tz = TimeZone::UTC;
    let mut rng = Rng(7);
    let mut filter_list: Vec<ReviewFilter> = Vec::new();
    for status in ReviewStatus::ALL {
        filter_list.push(ReviewFilter {
            status: Some(status),
            ..ReviewFilter::default()
        });
    }
    for _ in 0..20 {
        let unit = &choices.units[rng.below(choices.units.len() as u64) as usize];
        filter_list.push(ReviewFilter {
            unit: Some(unit.name.clone()),
            ..ReviewFilter::default()
        });
        filter_list.push(ReviewFilter {
            unit: Some(unit.name.clone()),
            status: Some(ReviewStatus::Pending),
            ..ReviewFilter::default()
        });
    }
    for d in &choices.departments {
        filter_list.push(ReviewFilter {
            department: Some(d.clone()),
            ..ReviewFilter::default()
        });
    }
    for i in choices.items.iter() {
        filter_list.push(ReviewFilter {
            item: Some(i.item_id.clone()),
            ..ReviewFilter::default()
        });
    }
    for c in ["attendance", "conduct", "window"] {
        filter_list.push(ReviewFilter {
            checklist: Some(c.into()),
            ..ReviewFilter::default()
        });
    }
    for name in choices.inspectors.iter().take(10) {
        filter_list.push(ReviewFilter {
            inspector: Some(name.clone()),
            ..ReviewFilter::default()
        });
    }
    for month in 1..=12 {
        let p = Period::month_of(jiff::civil::date(2025, month, 1));
        filter_list.push(ReviewFilter {
            observed: Some(p.instants(&tz)),
            ..ReviewFilter::default()
        });
    }
    filter_list.push(ReviewFilter {
        overdue_on: Some(day("2026-11-24")),
        ..ReviewFilter::default()
    });
    for filter in &filter_list {
        filters.push(
            format!("{filter:?}"),
            timed(|| page(&ledger, filter, Sort::default(), &Anchor::First)).1,
        );
        counts.push(
            format!("{filter:?}"),
            timed(|| ledger.review_count_upto(filter, COUNT_CAP).unwrap()).1,
        );
    }

    // Search: three characters and more through the trigram index, one or
    // two characters by LIKE.
    let mut search = Samples {
        name: "search, 3+ characters (trigram)",
        times: vec![],
        what: vec![],
        cpu: vec![],
    };
    let mut short = Samples {
        name: "search, 1-2 characters (LIKE)",
        times: vec![],
        what: vec![],
        cpu: vec![],
    };
    let mut search_counts = Samples {
        name: "count (capped) after a search",
        times: vec![],
        what: vec![],
        cpu: vec![],
    };
    let long_terms = [
        "短视频",
        "首问责任制",
        "工号0042",
        "投诉箱",
        "滨江区",
        "王伟（工号",
        "饮酒",
        "门难进 脸难看",
        "不存在的内容",
    ];
    let short_terms = ["闲聊", "酒", "窗口", "视频", "张伟"];
    for term in long_terms.iter().chain(short_terms.iter()) {
        let filter = ReviewFilter {
            search: Some((*term).into()),
            ..ReviewFilter::default()
        };
        let t = timed(|| page(&ledger, &filter, Sort::default(), &Anchor::First)).1;
        if term.split_whitespace().all(|w| w.chars().count() >= 3) {
            search.push(*term, t);
        } else {
            short.push(*term, t);
        }
        search_counts.push(
            *term,
            timed(|| ledger.review_count_upto(&filter, COUNT_CAP).unwrap()).1,
        );
        // And a page further into the results.
        let p = page(&ledger, &filter, Sort::default(), &Anchor::First);
        if let Some(last) = p.rows.last() {
            let t = timed(|| {
                page(
                    &ledger,
                    &filter,
                    Sort::default(),
                    &Anchor::After(last.key.clone()),
                )
            })
            .1;
            if term.split_whitespace().all(|w| w.chars().count() >= 3) {
                search.push(format!("{term} (next page)"), t);
            } else {
                short.push(format!("{term} (next page)"), t);
            }
        }
    }

    let keypress_kinds = [
        &pd,
        &pu,
        &scroll,
        &ends,
        &sorts,
        &sorted_pages,
        &filters,
        &search,
        &short,
    ];
    let keypresses: Vec<Duration> = keypress_kinds
        .iter()
        .flat_map(|s| s.times.iter().copied())
        .collect();
    let keypress_cpu: Vec<Duration> = keypress_kinds
        .iter()
        .flat_map(|s| s.cpu.iter().copied())
        .collect();
    all.extend([
        pd,
        pu,
        scroll,
        ends,
        sorts,
        sorted_pages,
        filters,
        search,
        short,
        counts,
        search_counts,
    ]);
    println!();
    for s in &all {
        s.print();
    }
    let every = Samples {
        name: "EVERY KEYPRESS (target p99 < 16 ms)",
        times: keypresses,
        what: vec![],
        cpu: keypress_cpu,
    };
    every.print();

    // Scores.
    let year = Period::new(day("2025-01-01"), day("2025-12-31")).unwrap();
    let (ranking, t, cpu) = cpu_timed(|| ledger.ranking(year, &tz).unwrap());
    println!();
    println!(
        "SCORES for 2025 over {} units: {:.1} ms wall, {} CPU (target < 1000 ms); {} counted, {} pending findings",
        ranking.units.len(),
        ms(t),
        cpu_ms(cpu),
        ranking.counted_findings(),
        ranking.pending_findings()
    );
    let (trend, t, cpu) = cpu_timed(|| ledger.ranking_trend(year, Step::Month, &tz).unwrap());
    println!(
        "trend by month ({} rankings): {:.1} ms wall, {} CPU",
        trend.len(),
        ms(t),
        cpu_ms(cpu)
    );
    let (trend, t, cpu) = cpu_timed(|| ledger.ranking_trend(year, Step::Quarter, &tz).unwrap());
    println!(
        "trend by quarter ({} rankings): {:.1} ms wall, {} CPU",
        trend.len(),
        ms(t),
        cpu_ms(cpu)
    );
    let (_, t, cpu) = cpu_timed(|| {
        ledger
            .ranking(Period::month_of(day("2025-06-01")), &tz)
            .unwrap()
    });
    println!(
        "scores for one month: {:.1} ms wall, {} CPU",
        ms(t),
        cpu_ms(cpu)
    );
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average while measuring: {}", load.trim());
    }
}
