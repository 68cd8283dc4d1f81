//! Workspace tooling: `cargo xtask ci` runs the checks CI runs, in order,
//! with one summary line per step, and stops at the first failure.

use std::process::{Command, ExitCode};
use std::time::Instant;

struct Step {
    name: &'static str,
    program: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const CI_STEPS: &[Step] = &[
    Step {
        name: "fmt",
        program: "cargo",
        args: &["fmt", "--all", "--", "--check"],
        env: &[],
    },
    Step {
        name: "clippy",
        program: "cargo",
        args: &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
        env: &[],
    },
    Step {
        name: "test",
        program: "cargo",
        args: &["test", "--workspace", "--all-features"],
        env: &[],
    },
    Step {
        name: "doc",
        program: "cargo",
        args: &["doc", "--workspace", "--no-deps", "--all-features"],
        env: &[("RUSTDOCFLAGS", "-D warnings")],
    },
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("ci") {
        run_steps(CI_STEPS)
    } else {
        eprintln!("usage: cargo xtask ci");
        ExitCode::from(2)
    }
}

fn run_steps(steps: &[Step]) -> ExitCode {
    let mut summary = Vec::new();
    for step in steps {
        let started = Instant::now();
        eprintln!(
            "xtask: running {} ({} {})",
            step.name,
            step.program,
            step.args.join(" ")
        );
        let status = Command::new(step.program)
            .args(step.args)
            .envs(step.env.iter().copied())
            .status();
        let secs = started.elapsed().as_secs_f64();
        let ok = matches!(&status, Ok(s) if s.success());
        summary.push(format!(
            "{:<8} {:<4} {secs:>7.1}s",
            step.name,
            if ok { "ok" } else { "FAIL" }
        ));
        if !ok {
            if let Err(err) = status {
                eprintln!("xtask: cannot run {}: {err}", step.program);
            }
            print_summary(&summary);
            return ExitCode::FAILURE;
        }
    }
    print_summary(&summary);
    ExitCode::SUCCESS
}

fn print_summary(lines: &[String]) {
    eprintln!("xtask ci summary:");
    for line in lines {
        eprintln!("  {line}");
    }
}
