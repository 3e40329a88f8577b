//! The bulletin as a 公文: every element GB/T 9704 asks for is in both the
//! Word document (read back as XML, paragraph by paragraph with its style)
//! and the web page, in both languages; pending and dismissed findings name
//! nobody; no clause counts zero.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anfang_core::Lang;
use anfang_core::visit::VisitKind;
use anfang_export::{ExportOptions, Format, OfficeDocs, export};
use common::{TAX, options, source};
use quick_xml::events::Event;
use std::io::Read;
use std::path::Path;

const ISSUER: &str = "滨江市作风效能建设领导小组办公室";

fn office(lang: Lang) -> ExportOptions {
    let mut opts = options(lang);
    opts.issuer = Some(ISSUER.into());
    opts.office_docs = OfficeDocs {
        addressees: Some("各县（区）效能办，市直各单位".into()),
        copies: Some("市纪委监委，市委组织部".into()),
        number_pattern: Some("滨效办〔{year}〕{n}号".into()),
        serial: Some("7".into()),
        printer: None,
    };
    opts.from = Some(jiff::civil::date(2026, 3, 1));
    opts.to = Some(jiff::civil::date(2026, 3, 31));
    opts
}

fn zip_part(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The document's paragraphs in order: (style, text), tabs as `\t`.
fn paragraphs(xml: &str) -> Vec<(String, String)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut style = String::new();
    let mut text = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.name().0 == "w:pStyle" => {
                let val = e.try_get_attribute("w:val").unwrap().unwrap();
                style = val.value.to_string();
            }
            Event::Start(e) if e.name().0 == "w:p" => {
                style = "Normal".into();
                text.clear();
            }
            Event::Start(e) if e.name().0 == "w:t" => in_text = true,
            Event::End(e) if e.name().0 == "w:t" => in_text = false,
            Event::Empty(e) if e.name().0 == "w:tab" => text.push('\t'),
            Event::Text(t) if in_text => text.push_str(&t.xml10_content()),
            // Entities come apart from the text around them.
            Event::GeneralRef(r) if in_text => {
                let name = r.into_inner();
                text.push_str(match &*name {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                });
            }
            Event::End(e) if e.name().0 == "w:p" => {
                out.push((style.clone(), text.clone()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn styled<'a>(paras: &'a [(String, String)], style: &str) -> Vec<&'a str> {
    paras
        .iter()
        .filter(|(s, _)| s == style)
        .map(|(_, t)| t.as_str())
        .collect()
}

fn write(format: Format, opts: &ExportOptions, dir: &Path) -> std::path::PathBuf {
    let out = dir.join(format!("bulletin.{}", format.name()));
    export(&source(), opts, format, &out, &mut |_, _| {}).unwrap();
    out
}

#[test]
fn docx_has_every_element_of_a_gbt9704_bulletin() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(Format::Docx, &office(Lang::Zh), dir.path());
    let document = zip_part(&path, "word/document.xml");
    let paras = paragraphs(&document);
    let all: String = paras
        .iter()
        .map(|p| p.1.as_str())
        .collect::<Vec<_>>()
        .join("\n");

    assert_eq!(styled(&paras, "Masthead"), [ISSUER], "发文机关标志");
    assert_eq!(styled(&paras, "DocNumber"), ["滨效办〔2026〕7号"], "文号");
    assert_eq!(
        styled(&paras, "Title"),
        ["关于2026年3月作风效能暗访情况的通报"],
        "the month as people write it, and only the kind of visit made"
    );
    assert!(all.contains("各县（区）效能办，市直各单位："), "主送");
    let headings = styled(&paras, "Heading1");
    assert_eq!(
        headings,
        [
            "一、基本情况",
            "二、发现的主要问题及处理意见",
            "三、整改情况",
            "四、有关要求"
        ]
    );
    // Problems by unit in prose, with facts, points and the handling.
    let tax = paras
        .iter()
        .find(|(_, t)| t.starts_with(&format!("（一）{TAX}")) || t.contains(&format!("）{TAX}。")))
        .expect("a paragraph on the tax hall")
        .1
        .clone();
    assert!(tax.contains("上班时间在商场购物"), "{tax}");
    assert!(
        tax.contains("张三"),
        "confirmed findings name the person: {tax}"
    );
    assert!(tax.contains("分"), "{tax}");
    assert!(tax.contains("处理意见：对"), "{tax}");
    assert!(all.contains("市行政服务中心。检查发现问题1个"), "{all}");
    // Requirements with a concrete date: 20 March + 15 days.
    assert!(
        all.contains("请各被通报单位于2026年4月4日前将整改情况书面报送"),
        "{all}"
    );
    // 落款 and date.
    assert_eq!(styled(&paras, "Signature"), [ISSUER, "2026年3月20日"]);
    // 版记.
    let colophon = styled(&paras, "Colophon");
    assert_eq!(
        colophon,
        [
            "抄送：市纪委监委，市委组织部。",
            &format!("{ISSUER}\t2026年3月20日印发")[..]
        ]
    );
    // Rectification: the per-unit summary and the overdue item only.
    assert!(
        all.contains("本期共下达整改通知1件，正在整改1件，其中逾期未整改1件。"),
        "{all}"
    );
    assert!(all.contains("逾期未整改的问题如下"));
    // Pending and dismissed findings name nobody; no zero clause.
    assert!(!all.contains("工号0357"), "a pending finding's subject");
    assert!(!all.contains("窗口提前关闭"), "a dismissed finding's note");
    for zero in ["0个", "0件", "已整改0"] {
        assert!(
            !all.split(|c: char| !c.is_ascii_digit() && c != '个' && c != '件')
                .any(|w| w == zero),
            "zero clause {zero} in {all}"
        );
    }
    assert!(!all.contains("已整改0件") && !all.contains("不予认定0个"));
    // Page numbers: a PAGE field in both footers, referenced by the section.
    assert!(document.contains(r#"<w:footerReference w:type="default" r:id="rId4"/>"#));
    assert!(document.contains(r#"<w:footerReference w:type="even" r:id="rId5"/>"#));
    for footer in ["word/footer1.xml", "word/footer2.xml"] {
        assert!(
            zip_part(&path, footer)
                .contains("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>")
        );
    }
    let rels = zip_part(&path, "word/_rels/document.xml.rels");
    assert!(rels.contains(r#"Id="rId4""#) && rels.contains("footer1.xml"));
    assert!(zip_part(&path, "word/settings.xml").contains("<w:evenAndOddHeaders/>"));
    assert!(zip_part(&path, "[Content_Types].xml").contains("/word/footer2.xml"));
}

#[test]
fn html_has_every_element_and_print_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(Format::Html, &office(Lang::Zh), dir.path());
    let html = std::fs::read_to_string(&path).unwrap();
    for part in [
        format!(r#"<div class="masthead">{ISSUER}</div>"#),
        r#"<p class="doc-number">滨效办〔2026〕7号</p>"#.to_owned(),
        "<h1>关于2026年3月作风效能暗访情况的通报</h1>".to_owned(),
        r#"<p class="flush">各县（区）效能办，市直各单位：</p>"#.to_owned(),
        "<h2>二、发现的主要问题及处理意见</h2>".to_owned(),
        "处理意见：".to_owned(),
        "2026年4月4日前".to_owned(),
        format!(r#"<p class="right">{ISSUER}</p>"#),
        r#"<p class="right">2026年3月20日</p>"#.to_owned(),
        "<span>抄送：市纪委监委，市委组织部。</span>".to_owned(),
        "<span>2026年3月20日印发</span>".to_owned(),
        r#"counter(page)"#.to_owned(),
    ] {
        assert!(html.contains(&part), "missing {part}");
    }
    assert!(!html.contains("工号0357") && !html.contains("窗口提前关闭"));
}

#[test]
fn english_bulletin_has_the_same_parts() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = office(Lang::En);
    opts.issuer = Some("Binjiang Efficiency Office".into());
    opts.office_docs.addressees = None;
    opts.office_docs.copies = None;
    let path = write(Format::Docx, &opts, dir.path());
    let paras = paragraphs(&zip_part(&path, "word/document.xml"));
    assert_eq!(
        styled(&paras, "Title"),
        ["Bulletin on the unannounced inspections of work style and efficiency, March 2026"]
    );
    assert!(paras.iter().any(|p| p.1 == "All units concerned:"));
    assert!(paras.iter().any(|p| p.1.contains("By 4 April 2026")));
    // No copies set: the 版记 has only the printing line.
    assert_eq!(
        styled(&paras, "Colophon"),
        ["Binjiang Efficiency Office\t20 March 2026 (issued)"]
    );
}

#[test]
fn the_title_names_the_kinds_of_visit_made_and_the_serial_is_left_blank() {
    let dir = tempfile::tempdir().unwrap();
    let mut src = source();
    src.rows[4].visit_kind = VisitKind::Open;
    src.rows[4].visit_id = uuid::Uuid::from_u128(77);
    let mut opts = office(Lang::Zh);
    opts.office_docs.serial = None;
    opts.from = Some(jiff::civil::date(2026, 1, 1));
    opts.to = Some(jiff::civil::date(2026, 3, 31));
    let out = dir.path().join("b.docx");
    export(&src, &opts, Format::Docx, &out, &mut |_, _| {}).unwrap();
    let paras = paragraphs(&zip_part(&out, "word/document.xml"));
    assert_eq!(
        styled(&paras, "Title"),
        ["关于2026年第一季度作风效能明察暗访情况的通报"]
    );
    assert_eq!(styled(&paras, "DocNumber"), ["滨效办〔2026〕　　号"]);
}

/// A frame's attributes: (name, value).
type Frame = Vec<(String, String)>;

/// Each paragraph's style and its frame's attributes, if it is framed.
fn frames(xml: &str) -> Vec<(String, Option<Frame>)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut style = String::new();
    let mut frame = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().0 == "w:p" => {
                style = "Normal".into();
                frame = None;
            }
            Event::Empty(e) if e.name().0 == "w:pStyle" => {
                style = e
                    .try_get_attribute("w:val")
                    .unwrap()
                    .unwrap()
                    .value
                    .to_string();
            }
            Event::Empty(e) if e.name().0 == "w:framePr" => {
                frame = Some(
                    e.attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            (a.key.0.to_string(), a.value.to_string())
                        })
                        .collect(),
                );
            }
            Event::End(e) if e.name().0 == "w:p" => out.push((style.clone(), frame.take())),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn the_colophon_is_framed_at_the_foot_of_the_last_page() {
    let dir = tempfile::tempdir().unwrap();
    for (opts, lines) in [(office(Lang::Zh), 2), (options(Lang::En), 1)] {
        let path = write(Format::Docx, &opts, dir.path());
        let paras = frames(&zip_part(&path, "word/document.xml"));
        // The 版记's lines close the document, each in the frame anchored
        // to the bottom margin (Word and LibreOffice merge frames alike),
        // followed only by the hairline paragraph that holds the frame on
        // the last page.
        let (anchor, paras) = paras.split_last().unwrap();
        assert_eq!(anchor, &("Normal".to_string(), None));
        let (body, colophon) = paras.split_at(paras.len() - lines);
        assert!(
            body.iter()
                .all(|(style, frame)| style != "Colophon" && frame.is_none())
        );
        for (style, frame) in colophon {
            assert_eq!(style, "Colophon");
            let frame = frame.as_ref().expect("the 版记 is framed");
            let attr = |name: &str| {
                frame
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
            };
            assert_eq!(attr("w:vAnchor"), Some("margin"), "{frame:?}");
            assert_eq!(attr("w:yAlign"), Some("bottom"), "{frame:?}");
            assert_eq!(attr("w:hAnchor"), Some("margin"), "{frame:?}");
            // As wide as the text: the rules run from margin to margin.
            assert_eq!(attr("w:w"), Some("8844"), "{frame:?}");
        }
        assert_eq!(
            colophon[0].1,
            colophon[lines - 1].1,
            "one frame for all lines"
        );
    }
}

#[test]
fn the_html_colophon_is_put_at_the_foot_before_printing() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(Format::Html, &office(Lang::Zh), dir.path());
    let html = std::fs::read_to_string(&path).unwrap();
    // Printed, the 版记 is padded down to the page's end: measured in
    // columns the size of the page area the @page rule leaves.
    assert!(html.contains(r#"<div class="foot" id="foot"><div class="colophon">"#));
    assert!(html.contains(r#"addEventListener("beforeprint""#));
    assert!(html.contains("@page { size: A4; margin: 30mm 26mm 30mm 28mm; }"));
    assert!(html.contains("width:156mm;height:237mm;"));
    assert!(html.contains("column-width:156mm"));
}

#[test]
fn the_word_document_is_stamped_with_the_callers_clock() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = office(Lang::Zh);
    opts.now = "2031-05-06T07:08:09Z".parse().unwrap();
    let path = write(Format::Docx, &opts, dir.path());
    let core = zip_part(&path, "docProps/core.xml");
    assert!(core.contains(">2031-05-06T07:08:09Z<"), "{core}");
}
