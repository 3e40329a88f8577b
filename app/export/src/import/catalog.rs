//! The checklist items an import can name: the core checklists and the
//! loaded plugins', found by id (`late-arrival`, `core:late-arrival`) or by
//! title in either language (`迟到`, `Late arrival`).

use super::error::said;
use super::suggest::{closest, did_you_mean};
use anfang_core::core_checklists::core_manifest;
use anfang_core::label::Label;
use anfang_core::manifest::{ChecklistSnapshot, Item, Manifest};

/// A resolved item: the checklist it belongs to (as a visit records it)
/// and the item itself.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogItem {
    /// The checklist, with plugin id and version.
    pub checklist: ChecklistSnapshot,
    /// The item.
    pub item: Item,
}

/// Every item of the given manifests.
#[derive(Debug, Clone)]
pub struct Catalog {
    items: Vec<CatalogItem>,
}

impl Catalog {
    /// The items of these manifests.
    pub fn new<'a>(manifests: impl IntoIterator<Item = &'a Manifest>) -> Catalog {
        let items = manifests
            .into_iter()
            .flat_map(|manifest| manifest.snapshots())
            .flat_map(|snapshot| {
                snapshot
                    .checklist
                    .items
                    .clone()
                    .into_iter()
                    .map(move |item| CatalogItem {
                        checklist: snapshot.clone(),
                        item,
                    })
            })
            .collect();
        Catalog { items }
    }

    /// Every item: its checklist and itself, in checklist order.
    pub fn items(&self) -> &[CatalogItem] {
        &self.items
    }

    /// The core checklists alone.
    pub fn core() -> Catalog {
        Catalog::new(&[core_manifest()])
    }

    /// Finds an item by `plugin:item` id, item id, or title; `plugin`
    /// narrows the search. The error names the text and, when ambiguous,
    /// the candidates.
    pub fn resolve(&self, text: &str, plugin: Option<&str>) -> Result<&CatalogItem, Label> {
        let text = text.trim();
        let (plugin, id) = match text.split_once(':') {
            Some((p, id)) if !p.is_empty() && !id.is_empty() && !id.contains(':') => {
                (Some(p.trim()), id.trim())
            }
            _ => (plugin, text),
        };
        let in_plugin = |c: &&CatalogItem| plugin.is_none_or(|p| c.checklist.plugin_id == p);
        let by_id: Vec<&CatalogItem> = self
            .items
            .iter()
            .filter(in_plugin)
            .filter(|c| c.item.id == id)
            .collect();
        let found = if by_id.is_empty() {
            self.items
                .iter()
                .filter(in_plugin)
                .filter(|c| {
                    c.item.label.zh.trim() == id || c.item.label.en.trim().eq_ignore_ascii_case(id)
                })
                .collect()
        } else {
            by_id
        };
        match found.as_slice() {
            [one] => Ok(one),
            [] => {
                let names = self
                    .items
                    .iter()
                    .filter(in_plugin)
                    .flat_map(|c| [c.item.label.zh.as_str(), c.item.id.as_str()]);
                let (zh, en) = did_you_mean(&closest(id, names, 3));
                Err(match plugin {
                    Some(p) => said(
                        format!("插件'{p}'中没有检查项'{text}'{zh}"),
                        format!("unknown item '{text}' in plugin '{p}'{en}"),
                    ),
                    None => said(
                        format!("未知检查项'{text}'{zh}"),
                        format!("unknown item '{text}'{en}"),
                    ),
                })
            }
            many => {
                let names: Vec<String> = many
                    .iter()
                    .map(|c| format!("{}:{}", c.checklist.plugin_id, c.item.id))
                    .collect();
                Err(said(
                    format!(
                        "检查项'{text}'有歧义（{}）：请写成 插件:检查项",
                        names.join("、")
                    ),
                    format!(
                        "item '{text}' is ambiguous ({}): write it as plugin:item",
                        names.join(", ")
                    ),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn finds_items_by_id_or_title() {
        let catalog = Catalog::core();
        assert_eq!(
            catalog.resolve("late-arrival", None).unwrap().item.id,
            "late-arrival"
        );
        assert_eq!(
            catalog.resolve("core:late-arrival", None).unwrap().item.id,
            "late-arrival"
        );
        assert_eq!(
            catalog.resolve(" 迟到 ", None).unwrap().item.id,
            "late-arrival"
        );
        assert_eq!(
            catalog.resolve("late ARRIVAL", None).unwrap().item.id,
            "late-arrival"
        );
        let err = catalog.resolve("睡觉", None).unwrap_err();
        assert_eq!(err.en, "unknown item '睡觉'");
        assert_eq!(err.zh, "未知检查项'睡觉'");
        assert!(catalog.resolve("tax:late-arrival", None).is_err());
        let err = catalog.resolve("late-arival", None).unwrap_err();
        assert_eq!(
            err.en,
            "unknown item 'late-arival' (did you mean 'late-arrival'?)"
        );
        assert_eq!(err.zh, "未知检查项'late-arival'（是不是'late-arrival'？）");
    }
}
