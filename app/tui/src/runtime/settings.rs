//! Keeping the user's name in the settings file the binary reads at start.

use std::path::Path;

/// Sets `name` in the settings file at `path`, creating the file (and its
/// folder) if needed and keeping every other setting. The file is replaced
/// whole, so a failure leaves the old one as it was.
pub fn save_name(path: &Path, name: &str) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let mut table: toml::Table = match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).map_err(|e| fail(&e))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => toml::Table::new(),
        Err(e) => return Err(fail(&e)),
    };
    table.insert("name".into(), toml::Value::String(name.to_string()));
    let text = toml::to_string(&table).map_err(|e| fail(&e))?;
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|e| fail(&e))?;
    }
    let partial = path.with_extension("toml.partial");
    std::fs::write(&partial, text).map_err(|e| fail(&e))?;
    std::fs::rename(&partial, path).map_err(|e| fail(&e))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_name_is_kept_with_the_other_settings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config").join("settings.toml");
        save_name(&path, "张明").unwrap();
        let read: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(read["name"].as_str(), Some("张明"));

        std::fs::write(&path, "name = \"\"\nother = 1\n").unwrap();
        save_name(&path, "王芳 \"组长\"").unwrap();
        let read: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(read["name"].as_str(), Some("王芳 \"组长\""));
        assert_eq!(read["other"].as_integer(), Some(1));
    }

    #[test]
    fn a_damaged_file_is_named_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "name = ").unwrap();
        let err = save_name(&path, "张明").unwrap_err();
        assert!(err.contains("settings.toml"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "name = ");
    }
}
