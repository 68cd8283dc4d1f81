use std::io::{self, Write};

use media_sdk::Asset;

/// Where results go: a table for people, or JSON lines for programs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    json: bool,
}

impl Output {
    pub(crate) fn new(json: bool) -> Output {
        Output { json }
    }

    pub(crate) fn is_json(self) -> bool {
        self.json
    }

    /// Prints assets: one JSON object per line, or one table.
    pub(crate) fn assets(self, assets: &[Asset]) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        if self.json {
            for asset in assets {
                serde_json::to_writer(&mut stdout, asset)?;
                stdout.write_all(b"\n")?;
            }
        } else {
            stdout.write_all(render_table(assets).as_bytes())?;
        }
        stdout.flush()
    }

    /// Prints one typed provider response: a JSON line with `--json`, indented JSON otherwise.
    pub(crate) fn value<T: serde::Serialize>(self, value: &T) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        if self.json {
            serde_json::to_writer(&mut stdout, value)?;
        } else {
            serde_json::to_writer_pretty(&mut stdout, value)?;
        }
        stdout.write_all(b"\n")?;
        stdout.flush()
    }

    /// A heading for people; on stderr in JSON mode so stdout stays parseable.
    pub(crate) fn heading(self, text: &str) -> io::Result<()> {
        if self.json {
            writeln!(io::stderr().lock(), "{text}")
        } else {
            let mut stdout = io::stdout().lock();
            writeln!(stdout, "\n{text}")?;
            stdout.flush()
        }
    }
}

const HEADERS: [&str; 10] = [
    "PROVIDER",
    "ID",
    "NAME",
    "KIND",
    "SIZE",
    "DURATION",
    "RESOLUTION",
    "FPS",
    "STATUS",
    "CREATED",
];

pub(crate) fn render_table(assets: &[Asset]) -> String {
    if assets.is_empty() {
        return "(no assets)\n".to_owned();
    }
    let rows: Vec<[String; 10]> = assets.iter().map(row).collect();
    let mut widths = HEADERS.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut push_line = |cells: &[String]| {
        let line: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    };
    push_line(&HEADERS.map(str::to_owned));
    for row in &rows {
        push_line(row);
    }
    out
}

fn row(asset: &Asset) -> [String; 10] {
    let dash = || "-".to_owned();
    [
        asset.provider.to_string(),
        asset.id.clone(),
        asset.name.clone().unwrap_or_else(dash),
        format!("{:?}", asset.kind).to_lowercase(),
        asset.size_bytes.map_or_else(dash, human_bytes),
        asset
            .duration_secs()
            .map_or_else(dash, |secs| format!("{secs:.3}s")),
        match (asset.width, asset.height) {
            (Some(w), Some(h)) => format!("{w}x{h}"),
            _ => dash(),
        },
        asset.fps.map_or_else(dash, |fps| format!("{fps}")),
        asset.status.as_ref().map_or_else(dash, |s| match s {
            media_sdk::AssetStatus::Failed {
                reason: Some(reason),
            } => format!("failed ({reason})"),
            other => other.as_str().to_owned(),
        }),
        asset
            .created_at
            .map_or_else(dash, |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string()),
    ]
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use media_sdk::{MediaKind, Provider};

    #[test]
    fn tables_align_and_humanize() {
        let mut asset = Asset::new(Provider::NcpMi, "1001", MediaKind::Video);
        asset.size_bytes = Some(101_176_289);
        asset.width = Some(1280);
        asset.height = Some(720);
        let table = render_table(&[asset]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("PROVIDER  ID    NAME"));
        assert!(lines[1].contains("96.5 MiB"), "{table}");
        assert!(lines[1].contains("1280x720"));
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(render_table(&[]), "(no assets)\n");
    }
}
