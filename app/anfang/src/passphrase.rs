//! Passphrases for office root keys: from a file (scripts) or asked for
//! without echo (people).

use anyhow::Context as _;
use std::path::Path;

/// Where passphrases come from.
pub enum Passphrases {
    /// Lines of a file: line i for key i, or the only line for every key.
    File(Vec<String>),
    /// Asked on the terminal.
    Ask,
}

impl Passphrases {
    /// From `--passphrase-file`, or asking when it is absent.
    pub fn from_option(file: Option<&Path>) -> anyhow::Result<Passphrases> {
        let Some(file) = file else {
            return Ok(Passphrases::Ask);
        };
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read passphrase file {}", file.display()))?;
        let lines: Vec<String> = text
            .lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            anyhow::bail!("passphrase file {} is empty", file.display());
        }
        Ok(Passphrases::File(lines))
    }

    /// The passphrase for the `index`-th key file, `key`; `new` asks twice.
    pub fn get(&self, index: usize, key: &Path, new: bool, zh: bool) -> anyhow::Result<String> {
        match self {
            Passphrases::File(lines) => Ok(lines
                .get(index)
                .or_else(|| lines.first())
                .cloned()
                .unwrap_or_default()),
            Passphrases::Ask => {
                let prompt = if zh {
                    format!("根密钥 {} 的口令：", key.display())
                } else {
                    format!("passphrase for root key {}: ", key.display())
                };
                let first = rpassword::prompt_password(prompt)
                    .context("cannot read the passphrase from the terminal")?;
                if new {
                    let again = rpassword::prompt_password(if zh {
                        "再输入一次："
                    } else {
                        "again: "
                    })
                    .context("cannot read the passphrase from the terminal")?;
                    if again != first {
                        anyhow::bail!("the two passphrases for {} differ", key.display());
                    }
                }
                Ok(first)
            }
        }
    }
}
