//! Stable pseudonyms: one person, one pseudonym, within one export.
//!
//! Staff named in findings (the `subject`: a name, a badge number, both)
//! become 人员1, 人员2, … and inspectors or reporters become 检查员1, …
//! A subject listing several people (`张三、李四`) is split, so each person
//! keeps one pseudonym wherever they appear. Where a note repeats the
//! subject's own words, those are replaced too; other names inside free
//! text cannot be recognised and are left as written.

use crate::row::{ExportRow, RectificationRow};
use anfang_core::Lang;
use std::collections::HashMap;

/// Characters that separate several people in one subject field.
const SEPARATORS: &[char] = &['、', ',', '，', ';', '；', '/', '|'];

/// The pseudonyms handed out so far in one export.
#[derive(Debug)]
pub struct Pseudonyms {
    lang: Lang,
    staff: HashMap<String, String>,
    inspectors: HashMap<String, String>,
}

impl Pseudonyms {
    /// A fresh table: numbering starts at 1 in every export.
    pub fn new(lang: Lang) -> Pseudonyms {
        Pseudonyms {
            lang,
            staff: HashMap::new(),
            inspectors: HashMap::new(),
        }
    }

    fn pseudonym(table: &mut HashMap<String, String>, prefix: &str, person: &str) -> String {
        let next = table.len() + 1;
        table
            .entry(person.to_owned())
            .or_insert_with(|| format!("{prefix}{next}"))
            .clone()
    }

    /// The pseudonym of a staff member (one name or badge number).
    pub fn staff_member(&mut self, person: &str) -> String {
        let prefix = match self.lang {
            Lang::Zh => "人员",
            Lang::En => "Person ",
        };
        Self::pseudonym(&mut self.staff, prefix, person.trim())
    }

    /// The pseudonym of an inspector or reporter.
    pub fn inspector(&mut self, person: &str) -> String {
        let prefix = match self.lang {
            Lang::Zh => "检查员",
            Lang::En => "Inspector ",
        };
        Self::pseudonym(&mut self.inspectors, prefix, person.trim())
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
            if !person.is_empty() {
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

    /// Pseudonymizes a finding: subject, note, inspectors, reporter.
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
    use super::*;

    #[test]
    fn one_person_one_pseudonym() {
        let mut p = Pseudonyms::new(Lang::Zh);
        let (a, _) = p.subject("张三、李四");
        let (b, _) = p.subject("李四");
        let (c, _) = p.subject(" 张三 ");
        assert_eq!(a, "人员1、人员2");
        assert_eq!(b, "人员2");
        assert_eq!(c, "人员1");
        assert_eq!(p.inspector("王五"), "检查员1");
        assert_eq!(p.staff_member("工号0357"), "人员3");
    }

    #[test]
    fn notes_lose_the_subject_names() {
        let mut p = Pseudonyms::new(Lang::En);
        let (_, pairs) = p.subject("张三/工号0357");
        let note = Pseudonyms::scrub("张三（工号0357）在窗口玩手机", &pairs);
        assert_eq!(note, "Person 1（Person 2）在窗口玩手机");
    }
}
