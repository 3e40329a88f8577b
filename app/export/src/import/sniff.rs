//! Telling what an import file is before reading it, in one pass over its
//! bytes that also computes the SHA-256 every imported finding records:
//! XLSX (a zip), JSON or CSV, and the text's encoding — UTF-8 (with or
//! without a byte-order mark) or GBK/GB18030, as Excel and WPS save "CSV"
//! on Chinese Windows — guessed by chardetng, the detector Firefox uses.

use super::error::said;
use anfang_core::label::Label;
use encoding_rs::{Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// What kind of file an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// CSV in this encoding.
    Csv(&'static Encoding),
    /// JSON in this encoding.
    Json(&'static Encoding),
    /// An Office Open XML workbook.
    Xlsx,
}

/// The file's SHA-256 and kind.
#[derive(Debug, Clone)]
pub(crate) struct Sniffed {
    /// Lowercase hex.
    pub sha256: String,
    /// How to read it.
    pub kind: FileKind,
}

/// Reads `path` once: its hash, kind and encoding.
pub(crate) fn sniff(path: &Path) -> Result<Result<Sniffed, Label>, std::io::Error> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let mut buf = vec![0u8; 1 << 16];
    let mut head: Vec<u8> = Vec::new();
    let mut non_ascii = false;
    let mut first_char: Option<u8> = None;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        let chunk = &buf[..n];
        hasher.update(chunk);
        if head.len() < 4 {
            head.extend(chunk.iter().take(4 - head.len()));
        }
        if first_char.is_none() {
            first_char = chunk
                .iter()
                .copied()
                .find(|b| !b.is_ascii_whitespace() && !b"\xEF\xBB\xBF".contains(b));
        }
        non_ascii |= detector.feed(chunk, false);
    }
    detector.feed(&[], true);
    let sha256 = hex::encode(hasher.finalize());
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if head.starts_with(b"PK\x03\x04") {
        return Ok(Ok(Sniffed {
            sha256,
            kind: FileKind::Xlsx,
        }));
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0") {
        return Ok(Err(said(
            "这是旧版 Excel 97-2003（.xls）文件：请另存为 .xlsx 或\"CSV UTF-8\"后再导入",
            "this is an old Excel 97-2003 (.xls) file: save it as .xlsx or \"CSV UTF-8\" and import that",
        )));
    }
    let encoding = if head.starts_with(b"\xEF\xBB\xBF") || !non_ascii {
        UTF_8
    } else if head.starts_with(b"\xFF\xFE") {
        UTF_16LE
    } else if head.starts_with(b"\xFE\xFF") {
        UTF_16BE
    } else {
        let allow = chardetng::Utf8Detection::Allow;
        let plain = detector.guess(None, allow);
        let chinese = detector.guess(Some(b"cn"), allow);
        let gbk = |e: &'static Encoding| e == GBK || e == GB18030;
        if plain == UTF_8 {
            UTF_8
        } else if gbk(plain) || (gbk(chinese) && !is_other_cjk(plain)) {
            // GB18030 is the superset: every GBK file reads the same.
            GB18030
        } else {
            let closest = if gbk(chinese) {
                format!("GBK / {}", plain.name())
            } else {
                plain.name().to_owned()
            };
            return Ok(Err(said(
                format!(
                    "无法确定文件的字符编码：既不是 UTF-8，也不能确定是 GBK/GB18030（可能是 {closest}）。请在 Excel/WPS 中另存为\"CSV UTF-8\"后再导入"
                ),
                format!(
                    "cannot tell the file's character encoding: it is not UTF-8 and not surely GBK/GB18030 (it could be {closest}). Save it as \"CSV UTF-8\" in Excel/WPS and import that"
                ),
            )));
        }
    };
    let json = match extension.as_deref() {
        Some("json") => true,
        Some("csv" | "txt") => false,
        _ => matches!(first_char, Some(b'{' | b'[')),
    };
    let kind = if json {
        FileKind::Json(encoding)
    } else {
        FileKind::Csv(encoding)
    };
    Ok(Ok(Sniffed { sha256, kind }))
}

/// Japanese, Korean and traditional Chinese legacy encodings: a text the
/// detector reads as one of these is not taken for GBK on a hint alone.
fn is_other_cjk(encoding: &'static Encoding) -> bool {
    [
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
        encoding_rs::ISO_2022_JP,
        encoding_rs::EUC_KR,
        encoding_rs::BIG5,
    ]
    .contains(&encoding)
}

/// The file's text, decoded from `encoding` to UTF-8 while it is read
/// (a byte-order mark is taken off).
pub(crate) fn decoded(
    path: &Path,
    encoding: &'static Encoding,
) -> Result<impl Read, std::io::Error> {
    let file = std::fs::File::open(path)?;
    Ok(encoding_rs_io::DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .build(std::io::BufReader::with_capacity(1 << 16, file)))
}

/// The name said in the report: `UTF-8`, `GB18030 (GBK)`…
pub(crate) fn encoding_name(encoding: &'static Encoding) -> &'static str {
    if encoding == GB18030 {
        "GB18030 (GBK)"
    } else {
        encoding.name()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn kind_of(name: &str, bytes: &[u8]) -> Result<FileKind, Label> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        sniff(&path).unwrap().map(|s| s.kind)
    }

    const SHEET: &str = "单位,检查项,发现时间,情况说明,监督员\n市税务局第一税务分局办税服务厅,迟到,2026/11/9 8:45,王五8:45到岗，窗口无人等候，群众反映办事需要排队很久,刘义务\n";

    #[test]
    fn utf8_with_or_without_bom_and_gbk_are_told_apart() {
        assert_eq!(kind_of("a.csv", SHEET.as_bytes()), Ok(FileKind::Csv(UTF_8)));
        let bom = [b"\xEF\xBB\xBF".as_slice(), SHEET.as_bytes()].concat();
        assert_eq!(kind_of("a", &bom), Ok(FileKind::Csv(UTF_8)));
        let (gbk, _, _) = GBK.encode(SHEET);
        assert_eq!(kind_of("a.csv", &gbk), Ok(FileKind::Csv(GB18030)));
        assert_eq!(kind_of("a.csv", b"unit,item\n"), Ok(FileKind::Csv(UTF_8)));
        assert_eq!(
            kind_of("x", b" {\"findings\":[]}"),
            Ok(FileKind::Json(UTF_8))
        );
        assert_eq!(kind_of("a.csv", b"PK\x03\x04rest"), Ok(FileKind::Xlsx));
    }

    #[test]
    fn an_encoding_it_cannot_tell_is_said() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(
            "単位,項目\n東京都庁の窓口で職員が遅刻しました。お客様は長い間待っていました。\n",
        );
        let err = kind_of("a.csv", &sjis).unwrap_err();
        assert!(
            err.en.contains("cannot tell the file's character encoding"),
            "{err:?}"
        );
        assert!(err.zh.contains("无法确定文件的字符编码"), "{err:?}");
    }

    #[test]
    fn gbk_text_is_decoded_to_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, GBK.encode(SHEET).0).unwrap();
        let mut text = String::new();
        decoded(&path, GB18030)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, SHEET);
    }
}
