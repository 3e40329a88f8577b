//! Stable pseudonyms: one person, one pseudonym, in every export of one
//! office.
//!
//! A pseudonym is a short code cut from HMAC-SHA256 of the person under a
//! secret kept in the data folder (`pseudonym.key`), so the same badge
//! carries the same pseudonym in this month's file and next month's, and
//! nobody without the secret can turn a code back into a name by trying
//! names. Staff named in findings (the `subject`: a name, a badge number,
//! both) become 人员【KQMXZA】 and inspectors or reporters 检查员【…】: the
//! brackets keep the text after a replaced name from running into it
//! ("王五8:45到岗" stays readable). A subject listing several people
//! (`张三、李四`) is split; windows and posts (`5号窗口`, `导税台`, `值班岗`)
//! are places, not people, and stay as written. Where a note repeats the
//! subject's own words, those are replaced too; other names inside free
//! text cannot be recognised and are left as written.
//!
//! One secret for the whole office: `anfang office init` creates it as a
//! file kept with the root keys, off every laptop, and installs it in the
//! office machine's data folder; each laptop gets it once, by hand, with
//! `anfang office join --pseudonym-key FILE`. It cannot be derived from
//! what laptops share: the roster and the bundles travel by USB stick and
//! may pass through an inspected unit's hands, the root keys never reach a
//! laptop, and each device key is the device's own. A secret handed over
//! at joining, like the fingerprint read out at joining, is the one thing
//! only the office's machines hold. It is never written into a bundle
//! (bundles carry events and evidence only), so a unit that gets an
//! anonymized export or a bundle cannot turn codes back into names by
//! trying names.

use crate::error::ExportError;
use crate::row::{ExportRow, RectificationRow};
use anfang_core::Lang;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::io::Write;
use std::path::Path;

/// Characters that separate several people in one subject field.
const SEPARATORS: &[char] = &['、', ',', '，', ';', '；', '/', '|'];

/// The file in the data folder that holds the office's pseudonym secret.
pub const KEY_FILE: &str = "pseudonym.key";

/// Letters of a pseudonym's code: no I or O, which read as 1 and 0.
const CODE_LETTERS: &[u8; 24] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Letters in a code: 24^6 (about 190 million) codes keep two people of
/// one office from sharing one.
const CODE_LEN: usize = 6;

/// How a subject that names a place, not a person, ends (or, for the
/// English, begins).
const PLACE_ENDINGS: &[&str] = &["窗口", "号窗", "窗", "岗", "岗位", "台", "柜台", "大厅"];
const PLACE_STARTS: &[&str] = &["window", "counter", "desk", "post "];

/// The secret pseudonyms are keyed by.
#[derive(Clone, PartialEq, Eq)]
pub struct PseudonymKey([u8; 32]);

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret never reaches a log.
        f.write_str("PseudonymKey(…)")
    }
}

impl PseudonymKey {
    /// A key from its 32 bytes (tests, and keys handed over by an office).
    pub fn from_bytes(bytes: [u8; 32]) -> PseudonymKey {
        PseudonymKey(bytes)
    }

    /// A fresh random key: pseudonyms under it match no other export.
    pub fn random() -> Result<PseudonymKey, ExportError> {
        let mut bytes = [0u8; 32];
        getrandom::getrandom(&mut bytes).map_err(|e| {
            ExportError::BadOption(format!("no randomness for a pseudonym key: {e}"))
        })?;
        Ok(PseudonymKey(bytes))
    }

    /// The data folder's key, created (readable by its owner only) the
    /// first time an anonymized export is made there.
    pub fn load_or_create(data_dir: &Path) -> Result<PseudonymKey, ExportError> {
        Self::load_or_create_file(&data_dir.join(KEY_FILE))
    }

    /// The key in the file at `path`, created with a fresh random key
    /// (readable by its owner only) when there is none.
    pub fn load_or_create_file(path: &Path) -> Result<PseudonymKey, ExportError> {
        let io = |source| ExportError::Io {
            path: path.to_path_buf(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => return Self::parse(path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(e)),
        }
        let key = Self::random()?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => {
                writeln!(file, "{}", hex::encode(key.0)).map_err(io)?;
                file.sync_all().map_err(io)?;
                Ok(key)
            }
            // Another export created it first: use that one.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = std::fs::read_to_string(path).map_err(io)?;
                Self::parse(path, &text)
            }
            Err(e) => Err(io(e)),
        }
    }

    /// Reads the key in the file at `path` (an office's key handed over).
    pub fn read_file(path: &Path) -> Result<PseudonymKey, ExportError> {
        let text = std::fs::read_to_string(path).map_err(|source| ExportError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Makes `self` the key of the data folder `data_dir`, replacing the
    /// one it had: from now on its exports use the office's pseudonyms.
    /// Returns whether a different key was replaced. The file is written
    /// whole beside the old one (owner-only) and renamed into place.
    pub fn install(&self, data_dir: &Path) -> Result<bool, ExportError> {
        let path = data_dir.join(KEY_FILE);
        let io = |source| ExportError::Io {
            path: path.clone(),
            source,
        };
        let replaced = match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&path, &text).map_or(true, |old| old != *self),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(io(e)),
        };
        let partial = data_dir.join(format!(".{KEY_FILE}.partial"));
        let _ = std::fs::remove_file(&partial);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&partial).map_err(io)?;
        writeln!(file, "{}", hex::encode(self.0)).map_err(io)?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&partial, &path).map_err(io)?;
        Ok(replaced)
    }

    fn parse(path: &Path, text: &str) -> Result<PseudonymKey, ExportError> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut bytes).map_err(|_| {
            ExportError::BadOption(format!(
                "{} does not hold a pseudonym key (64 hex digits)",
                path.display()
            ))
        })?;
        Ok(PseudonymKey(bytes))
    }

    /// The code of `person` among people of `kind`.
    fn code(&self, kind: &str, person: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(person.as_bytes());
        let digest = mac.finalize().into_bytes();
        digest
            .iter()
            .take(CODE_LEN)
            .map(|b| char::from(CODE_LETTERS[usize::from(*b) % CODE_LETTERS.len()]))
            .collect()
    }
}

/// Whether a subject names a window or a post rather than a person.
fn is_place(part: &str) -> bool {
    let lower = part.to_lowercase();
    PLACE_ENDINGS.iter().any(|end| part.ends_with(end))
        || part.contains("号窗")
        || PLACE_STARTS.iter().any(|start| lower.starts_with(start))
}

/// Gives pseudonyms under one office's key.
#[derive(Debug)]
pub struct Pseudonyms {
    lang: Lang,
    key: PseudonymKey,
}

impl Pseudonyms {
    /// Pseudonyms under `key`: the same person gets the same one in every
    /// export made with the same key.
    pub fn new(lang: Lang, key: PseudonymKey) -> Pseudonyms {
        Pseudonyms { lang, key }
    }

    fn pseudonym(&self, kind: &str, zh: &str, en: &str, person: &str) -> String {
        let code = self.key.code(kind, person);
        match self.lang {
            Lang::Zh => format!("{zh}【{code}】"),
            Lang::En => format!("[{en} {code}]"),
        }
    }

    /// The pseudonym of a staff member (one name or badge number).
    pub fn staff_member(&self, person: &str) -> String {
        self.pseudonym("staff", "人员", "Person", person.trim())
    }

    /// The pseudonym of an inspector or reporter.
    pub fn inspector(&self, person: &str) -> String {
        self.pseudonym("inspector", "检查员", "Inspector", person.trim())
    }

    /// Replaces every person in a subject field, keeping its separators.
    /// Returns the new subject and the (person, pseudonym) pairs, longest
    /// person first, for scrubbing the note.
    fn subject(&mut self, subject: &str) -> (String, Vec<(String, String)>) {
        let mut out = String::with_capacity(subject.len());
        let mut pairs = Vec::new();
        let mut rest = subject;
        while !rest.is_empty() {
            let end = rest.find(SEPARATORS).unwrap_or(rest.len());
            let (part, tail) = rest.split_at(end);
            let person = part.trim();
            if is_place(person) {
                out.push_str(part);
            } else if !person.is_empty() {
                let alias = self.staff_member(person);
                out.push_str(&alias);
                pairs.push((person.to_owned(), alias));
            }
            let mut chars = tail.chars();
            if let Some(sep) = chars.next() {
                out.push(sep);
            }
            rest = chars.as_str();
        }
        pairs.sort_by_key(|(person, _)| std::cmp::Reverse(person.chars().count()));
        (out, pairs)
    }

    fn scrub(note: &str, pairs: &[(String, String)]) -> String {
        // One-character "names" would wreck ordinary words.
        pairs
            .iter()
            .filter(|(person, _)| person.chars().count() >= 2)
            .fold(note.to_owned(), |note, (person, alias)| {
                note.replace(person.as_str(), alias)
            })
    }

    /// Pseudonymizes a finding: subject, note, inspectors, the roster's
    /// person who recorded it, reporter.
    pub fn finding(&mut self, row: &mut ExportRow) {
        let mut pairs = Vec::new();
        if let Some(subject) = row.subject.take() {
            let (alias, found) = self.subject(&subject);
            row.subject = Some(alias);
            pairs = found;
        }
        for inspector in &mut row.inspectors {
            let alias = self.inspector(inspector);
            pairs.push((std::mem::replace(inspector, alias.clone()), alias));
        }
        // The roster's name for the recording device is an inspector's too.
        if let anfang_core::authority::Signer::Enrolled(person) = &mut row.recorded_by {
            let alias = self.inspector(person);
            pairs.push((std::mem::replace(person, alias.clone()), alias));
        }
        if let Some(reporter) = row.source.as_mut().and_then(|s| s.reporter.as_mut()) {
            let alias = self.inspector(reporter);
            pairs.push((std::mem::replace(reporter, alias.clone()), alias));
        }
        pairs.sort_by_key(|(person, _)| std::cmp::Reverse(person.chars().count()));
        row.note = Self::scrub(&row.note, &pairs);
    }

    /// Pseudonymizes a rectification: subject, notes, who ordered it.
    pub fn rectification(&mut self, row: &mut RectificationRow) {
        let mut pairs = Vec::new();
        if let Some(subject) = row.subject.take() {
            let (alias, found) = self.subject(&subject);
            row.subject = Some(alias);
            pairs = found;
        }
        row.note = Self::scrub(&row.note, &pairs);
        if let Some(note) = row.rectified_note.as_mut() {
            *note = Self::scrub(note, &pairs);
        }
        row.ordered_by = self.inspector(&row.ordered_by);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn key(n: u8) -> PseudonymKey {
        PseudonymKey::from_bytes([n; 32])
    }

    #[test]
    fn one_person_one_pseudonym_under_one_key() {
        let mut p = Pseudonyms::new(Lang::Zh, key(1));
        let (a, _) = p.subject("张三、李四");
        let (b, _) = p.subject("李四");
        let (c, _) = p.subject(" 张三 ");
        let zhang = p.staff_member("张三");
        let li = p.staff_member("李四");
        assert_ne!(zhang, li);
        assert_eq!(a, format!("{zhang}、{li}"));
        assert_eq!(b, li);
        assert_eq!(c, zhang);
        // Another export with the same key, people met in another order.
        let q = Pseudonyms::new(Lang::Zh, key(1));
        assert_eq!(q.staff_member("李四"), li);
        assert_eq!(q.staff_member("张三"), zhang);
        // Another office's key gives other codes.
        let r = Pseudonyms::new(Lang::Zh, key(2));
        assert_ne!(r.staff_member("张三"), zhang);
        assert_ne!(p.inspector("张三"), zhang, "staff and inspectors apart");
        assert!(
            zhang.starts_with("人员【") && zhang.ends_with('】'),
            "{zhang}"
        );
        assert_eq!(zhang.chars().count(), 2 + 2 + CODE_LEN);
    }

    #[test]
    fn windows_and_posts_stay_as_written() {
        let mut p = Pseudonyms::new(Lang::Zh, key(1));
        for place in [
            "5号窗口",
            "综合受理窗口",
            "3号窗",
            "导税台",
            "值班岗",
            "Window 3",
        ] {
            let (out, pairs) = p.subject(place);
            assert_eq!(out, place);
            assert!(pairs.is_empty(), "{place}");
        }
        let (out, _) = p.subject("8号窗口、王五");
        assert_eq!(out, format!("8号窗口、{}", p.staff_member("王五")));
    }

    #[test]
    fn a_replaced_name_never_runs_into_the_text_after_it() {
        let mut p = Pseudonyms::new(Lang::Zh, key(1));
        let (_, pairs) = p.subject("王五");
        let note = Pseudonyms::scrub("王五8:45到岗", &pairs);
        let alias = p.staff_member("王五");
        assert_eq!(note, format!("{alias}8:45到岗"));
        assert!(note.contains("】8:45到岗"), "{note}");
    }

    #[test]
    fn notes_lose_the_subject_names() {
        let mut p = Pseudonyms::new(Lang::En, key(1));
        let (_, pairs) = p.subject("张三/工号0357");
        let note = Pseudonyms::scrub("张三（工号0357）在窗口玩手机", &pairs);
        let (a, b) = (p.staff_member("张三"), p.staff_member("工号0357"));
        assert!(a.starts_with("[Person ") && a.ends_with(']'), "{a}");
        assert_eq!(note, format!("{a}（{b}）在窗口玩手机"));
    }

    #[test]
    fn the_data_folders_key_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = PseudonymKey::load_or_create(dir.path()).unwrap();
        let again = PseudonymKey::load_or_create(dir.path()).unwrap();
        assert_eq!(first, again);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(dir.path().join(KEY_FILE), "not a key").unwrap();
        let err = PseudonymKey::load_or_create(dir.path()).unwrap_err();
        assert!(err.to_string().contains(KEY_FILE), "{err}");
        assert_eq!(
            format!("{first:?}"),
            "PseudonymKey(…)",
            "the secret is never printed"
        );
    }
}
